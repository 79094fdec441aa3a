package dev.lanyard.idp.admin;

import dev.lanyard.idp.tokens.TokenService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * {@code GET /me}: the signed-in administrator and the tenants they manage (the console hides what the API
 * would refuse); {@code POST /logout}: revokes the admin token the request carries, ending the console session.
 */
final class MeEndpoint {
  private final TokenService tokens;

  MeEndpoint(TokenService tokens) {
    this.tokens = tokens;
  }

  void mount(Router router) {
    router.get(AdminApi.BASE + "/me").handler(AdminRequest.handler(200, this::me));
    router.post(AdminApi.BASE + "/logout").handler(AdminRequest.handler(204, this::logout));
  }

  private Future<JsonObject> me(AdminRequest r) {
    AdminPrincipal p = r.principal();
    return Future.succeededFuture(new JsonObject().put("tenant", p.tenantId()).put("userId", p.userId())
        .put("username", p.username()).put("global", p.isGlobal()).put("scopes", new JsonArray(p.scopes().stream()
            .sorted().toList())).put("tokenId", p.tokenId()));
  }

  private Future<Object> logout(AdminRequest r) {
    AdminPrincipal p = r.principal();
    if (p.tokenId() == null) return Future.succeededFuture();
    return tokens.revoke(p.tenantId(), p.tokenId(), r.actor(), r.source()).map(changed -> null);
  }
}
