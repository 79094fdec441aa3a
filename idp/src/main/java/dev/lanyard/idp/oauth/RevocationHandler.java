package dev.lanyard.idp.oauth;

import dev.lanyard.idp.audit.AuditLog;
import dev.lanyard.idp.server.PostOnly;
import dev.lanyard.idp.server.RequestBodies;
import dev.lanyard.idp.tokens.AccessToken;
import dev.lanyard.idp.tokens.AccessTokenSeal;
import dev.lanyard.idp.tokens.AccessTokens;
import dev.lanyard.idp.tokens.OpaqueTokenFormat;
import dev.lanyard.idp.tokens.TokenService;
import dev.lanyard.storage.AlreadyExistsException;
import dev.lanyard.storage.NotFoundException;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.model.OpaqueToken;
import dev.lanyard.storage.model.RefreshFamily;
import dev.lanyard.storage.model.RefreshToken;
import dev.lanyard.storage.model.TokenKind;
import dev.lanyard.storage.model.OAuthClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /t/{tenant}/revoke}: OAuth 2.0 Token Revocation (RFC 7009) of opaque Kubernetes tokens
 * ({@code lyk_}), and of the token endpoint's access tokens ({@code lyat_}) and refresh tokens ({@code lyrt_}).
 *
 * <p>Any client of the tenant may call it, public clients included (they authenticate with
 * {@code client_id} alone, RFC 7009 §2.1). Opaque Kubernetes tokens are minted for a principal, not issued to a
 * client, and RFC 7009 (where a token's own client revokes it) does not say who may end them. Lanyard lets whoever
 * holds one revoke it through any client of its tenant: that is Lanyard's choice, not the RFC's. Holding a bearer
 * token already lets one use it against the API server, so ending it gives the holder nothing more, and whoever
 * finds a leaked token can end it at once (as GitHub's credential revocation API lets anyone revoke a leaked
 * token). It is revoked through {@link TokenService#revoke}, so every Lanyard process sees it on its next review,
 * and the audit event ({@code token.revoke}) names the revoking client as its actor. An access or refresh token
 * was issued to one client, and only that client may revoke it (§2.1). Another client is refused with
 * {@code invalid_request} (§2.2.1 answers with RFC 6749 §5.2's codes, whose {@code unauthorized_client} is about
 * grant types; Keycloak and node oidc-provider answer the same). Revoking a refresh token ends its whole family and
 * the access tokens issued with it (§2.1: they name the family, which {@link AccessTokens#isLive} checks); revoking an
 * access token records its id until it expires and ends that token only.
 *
 * <p>The answer is 200 with an empty body for known and unknown tokens alike (§2.2): it must not tell a caller
 * which strings are tokens. Malformed requests get RFC 6749 §5.2 errors. The token's own prefix says what it
 * is, so {@code token_type_hint} is accepted but never trusted over it.
 *
 * <p>Lanyard's other opaque credentials, admin tokens ({@code lya_}), cluster webhook credentials
 * ({@code lyw_}) and device codes ({@code lyd_}), are not revoked here: one that is well-formed (its checksum
 * right) is answered 400 {@code unsupported_token_type} (§2.2.1) rather than a 200 that revoked nothing. The
 * checksum is public, so this tells nothing about whether such a token exists; a mistyped one is a bad token.
 */
public final class RevocationHandler {
  private static final int BODY_LIMIT = 16_384;

  /** revoke_reason of a family ended through this endpoint. */
  static final String REVOKED = "revoked";
  /** Lanyard's credentials that other means end: the admin API (admin tokens, clusters), expiry (device codes). */
  private static final List<OpaqueTokenFormat> NOT_REVOKED_HERE = List.of(OpaqueTokenFormat.ADMIN,
      OpaqueTokenFormat.WEBHOOK, OpaqueTokenFormat.DEVICE_CODE);

  private final ClientAuthenticator clients;
  private final Storage storage;
  private final AccessTokens accessTokens;
  private final TokenService tokens;
  private final AuditLog audit;
  private final Clock clock;

  public RevocationHandler(ClientAuthenticator clients, Storage storage, AccessTokens accessTokens, TokenService tokens,
      AuditLog audit, Clock clock) {
    this.clients = clients;
    this.storage = storage;
    this.accessTokens = accessTokens;
    this.tokens = tokens;
    this.audit = audit;
    this.clock = clock;
  }

  public void mount(Router router) {
    router.post("/t/:tenant/revoke")
        .handler(RequestBodies.limitedTo(BODY_LIMIT))
        .handler(this::handle);
    PostOnly.mount(router, "/t/:tenant/revoke");
  }

  private void handle(RoutingContext ctx) {
    String tenantId = ctx.pathParam("tenant");
    String source = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
    Future.succeededFuture(ctx.request())
        .map(TokenRevocationRequests::parse)
        .compose(request -> clients.authenticate(tenantId, request.form(), source, client -> {
          if (request.token() == null) {
            return Future.failedFuture(OAuthError.invalidRequest("token is required").exception());
          }
          return revoke(tenantId, client, request.token(), source);
        }))
        .onSuccess(v -> TokenRevocationRequests.json(ctx, new JsonObject()))
        .onFailure(err -> OAuthErrorResponder.respond(ctx, err));
  }

  private Future<Void> revoke(String tenantId, OAuthClient client, String token, String source) {
    if (AccessTokenSeal.hasPrefix(token)) return revokeAccess(tenantId, client, token, source);
    if (OpaqueTokenFormat.REFRESH.isWellFormed(token)) return revokeRefresh(tenantId, client, token, source);
    if (!OpaqueTokenFormat.KUBERNETES.isWellFormed(token)) {
      for (OpaqueTokenFormat other : NOT_REVOKED_HERE) {
        if (other.isWellFormed(token)) {
          return Future.failedFuture(OAuthError.unsupportedTokenType(other.prefix()
              + " tokens are not revoked at this endpoint").exception());
        }
      }
      return Future.succeededFuture();
    }
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

  private Future<Void> revokeAccess(String tenantId, OAuthClient client, String token, String source) {
    AccessToken t = accessTokens.open(tenantId, token).orElse(null);
    if (t == null) return Future.succeededFuture();
    if (!t.clientId().equals(client.id())) return Future.failedFuture(anotherClients());
    return storage.transaction(s -> {
      if (AccessTokens.revoke(s, t, clock.instant())) {
        audit.record(s, new AuditLog.Entry(tenantId, "client:" + client.id(), "token.access.revoke",
            "access-token:" + t.id(), AuditLog.SUCCESS, source, null));
      }
      return null;
    })
        .<Void>mapEmpty()
        // Revoked at the same moment by another request, which recorded it and its audit event.
        .recover(err -> err instanceof AlreadyExistsException ? Future.succeededFuture() : Future.failedFuture(err));
  }

  private Future<Void> revokeRefresh(String tenantId, OAuthClient client, String token, String source) {
    byte[] hash = OpaqueTokenFormat.hash(token);
    return storage.transaction(s -> {
      RefreshToken.WithFamily found = s.refreshTokens().lockByHash(tenantId, hash).orElse(null);
      if (found == null) return null;
      RefreshFamily family = found.family();
      if (!family.clientId().equals(client.id())) throw anotherClients();
      Instant now = clock.instant();
      if (s.refreshTokens().revokeFamily(tenantId, family.id(), now, REVOKED)) {
        audit.record(s, new AuditLog.Entry(tenantId, "client:" + client.id(), "token.refresh.revoke",
            "user:" + family.userId(), AuditLog.SUCCESS, source, new JsonObject().put("family", family.id())));
      }
      return null;
    });
  }

  private static OAuthException anotherClients() {
    return OAuthError.invalidRequest("the token was not issued to this client").exception();
  }
}
