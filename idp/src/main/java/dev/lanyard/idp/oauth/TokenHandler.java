package dev.lanyard.idp.oauth;

import dev.lanyard.idp.server.PostOnly;
import dev.lanyard.idp.server.RequestBodies;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code POST /t/{tenant}/token} (RFC 6749 §3.2). Shared steps run here once; each {@link Grant} does only its own part. */
public final class TokenHandler {
  private static final int BODY_LIMIT = 16_384;

  private final ClientAuthenticator clients;
  private final Map<String, Grant> grants = new LinkedHashMap<>();

  public TokenHandler(ClientAuthenticator clients, List<Grant> enabledGrants) {
    this.clients = clients;
    enabledGrants.forEach(g -> grants.put(g.grantType(), g));
  }

  /** Grant types this endpoint supports, for discovery. */
  public Set<String> grantTypes() {
    return grants.keySet();
  }

  public void mount(Router router) {
    router.post("/t/:tenant/token")
        .handler(RequestBodies.limitedTo(BODY_LIMIT))
        .handler(this::handle);
    PostOnly.mount(router, "/t/:tenant/token");
  }

  private void handle(RoutingContext ctx) {
    String tenantId = ctx.pathParam("tenant");
    String source = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
    Future.succeededFuture(ctx.request())
        .map(TokenRequest::parse)
        .compose(request -> {
          Grant grant = grantFor(request);
          return clients.authenticate(tenantId, request, source, client -> {
            if (!client.allowsGrant(grant.grantType())) {
              return Future.failedFuture(OAuthError.unauthorizedClient(
                  "client may not use grant type " + grant.grantType()).exception());
            }
            return grant.exchange(tenantId, client, request, source);
          });
        })
        .onSuccess(tokens -> ctx.response()
            .putHeader("Content-Type", "application/json;charset=UTF-8")
            .putHeader("Cache-Control", "no-store")
            .putHeader("Pragma", "no-cache")
            .end(tokens.encode()))
        .onFailure(err -> OAuthErrorResponder.respond(ctx, err));
  }

  private Grant grantFor(TokenRequest request) {
    String type = request.grantType();
    if (type == null) throw OAuthError.invalidRequest("grant_type is required").exception();
    Grant grant = grants.get(type);
    if (grant == null) throw OAuthError.unsupportedGrantType("grant type " + type + " is not supported").exception();
    return grant;
  }
}
