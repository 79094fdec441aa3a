package dev.lanyard.idp.admin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * {@code GET /console} (open): what the web console needs before anyone signs in: the tenant administrators
 * sign in to, the console's OAuth client id and redirect path, and the sign-in methods that work now.
 */
final class ConsoleEndpoint {
  /** The public client the console will use for authorization code + PKCE. */
  static final String CLIENT_ID = "lanyard-console";
  static final String REDIRECT_PATH = "/admin/callback.html";

  private final ServerFacts facts;

  ConsoleEndpoint(ServerFacts facts) {
    this.facts = facts;
  }

  void mount(Router router) {
    router.get(AdminApi.BASE + "/console").handler(AdminRequest.handler(200, this::describe));
  }

  private Future<JsonObject> describe(AdminRequest r) {
    // authorization_code: the console's own sign-in (ConsoleClient, exchanged at POST /login); password: the
    // admin login API, kept for tenant administrators of tenants without the console client and for scripts.
    return Future.succeededFuture(new JsonObject().put("adminTenant", facts.adminTenant())
        .put("clientId", CLIENT_ID).put("redirectPath", REDIRECT_PATH)
        .put("signIn", new JsonArray().add("authorization_code").add("password")).put("version", facts.version()));
  }
}
