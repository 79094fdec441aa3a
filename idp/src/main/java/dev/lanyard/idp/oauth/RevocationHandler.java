package dev.lanyard.idp.oauth;

import dev.lanyard.idp.tokens.OpaqueTokenFormat;
import dev.lanyard.idp.tokens.TokenService;
import dev.lanyard.storage.NotFoundException;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.model.OpaqueToken;
import dev.lanyard.storage.model.TokenKind;
import dev.lanyard.storage.model.OAuthClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Optional;

/**
 * {@code POST /t/{tenant}/revoke}: OAuth 2.0 Token Revocation (RFC 7009) of Lanyard's opaque Kubernetes
 * tokens ({@code lyk_}).
 *
 * <p>Any client of the tenant may call it, public clients included (they authenticate with
 * {@code client_id} alone, RFC 7009 §2.1). Opaque tokens are minted for a principal, not issued to a client,
 * so there is no "issued to another client" case to refuse: holding the token is the proof, as it is for the
 * API server. A token of this tenant is revoked through {@link TokenService#revoke}, so every Lanyard process
 * sees it on its next review and the audit log names the client. The answer is 200 with an empty body for
 * known and unknown tokens alike (§2.2): it must not tell a caller which strings are tokens. Malformed
 * requests get RFC 6749 §5.2 errors. {@code token_type_hint} is accepted and ignored: there is one kind of
 * revocable token.
 *
 * <p>Refresh tokens do not exist in Lanyard yet; when they do, they are revoked here too (with their family,
 * RFC 7009 §2.1) and the hint {@code refresh_token} becomes meaningful.
 */
public final class RevocationHandler {
  private static final int BODY_LIMIT = 16_384;

  private final ClientAuthenticator clients;
  private final Storage storage;
  private final TokenService tokens;

  public RevocationHandler(ClientAuthenticator clients, Storage storage, TokenService tokens) {
    this.clients = clients;
    this.storage = storage;
    this.tokens = tokens;
  }

  public void mount(Router router) {
    router.post("/t/:tenant/revoke")
        .handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT))
        .handler(this::handle);
  }

  private void handle(RoutingContext ctx) {
    String tenantId = ctx.pathParam("tenant");
    String source = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
    Future.succeededFuture(ctx.request())
        .map(TokenRevocationRequests::parse)
        .compose(request -> clients.authenticate(tenantId, request.form()).compose(client -> {
          if (request.token() == null) {
            return Future.failedFuture(OAuthError.invalidRequest("token is required").exception());
          }
          return revoke(tenantId, client, request.token(), source);
        }))
        .onSuccess(v -> TokenRevocationRequests.json(ctx, new JsonObject()))
        .onFailure(err -> OAuthErrorResponder.respond(ctx, err));
  }

  private Future<Void> revoke(String tenantId, OAuthClient client, String token, String source) {
    if (!OpaqueTokenFormat.KUBERNETES.isWellFormed(token)) return Future.succeededFuture();
    byte[] hash = OpaqueTokenFormat.hash(token);
    return storage.transaction(s -> s.tokens().findByHash(hash)).compose((Optional<OpaqueToken> found) -> {
      // Another tenant's token is left alone: this tenant's clients have no say over it.
      if (found.isEmpty() || !found.get().tenantId().equals(tenantId) || found.get().kind() != TokenKind.KUBERNETES
          || found.get().revokedAt() != null) {
        return Future.succeededFuture();
      }
      return tokens.revoke(tenantId, found.get().id(), "client:" + client.id(), source)
          .<Void>mapEmpty()
          // Deleted between the lookup and the revocation: gone is as good as revoked.
          .recover(err -> err instanceof NotFoundException ? Future.succeededFuture() : Future.failedFuture(err));
    });
  }
}
