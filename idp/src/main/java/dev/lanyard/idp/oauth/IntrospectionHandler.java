package dev.lanyard.idp.oauth;

import dev.lanyard.idp.k8s.ClusterBindings;
import dev.lanyard.idp.server.PostOnly;
import dev.lanyard.idp.server.RequestBodies;
import dev.lanyard.idp.tokens.AccessToken;
import dev.lanyard.idp.tokens.AccessTokenSeal;
import dev.lanyard.idp.tokens.AccessTokens;
import dev.lanyard.idp.tokens.OpaqueTokenFormat;
import dev.lanyard.storage.StoreSession;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.model.OpaqueToken;
import dev.lanyard.storage.model.RefreshFamily;
import dev.lanyard.storage.model.RefreshToken;
import dev.lanyard.storage.model.PrincipalType;
import dev.lanyard.storage.model.Robot;
import dev.lanyard.storage.model.Tenant;
import dev.lanyard.storage.model.TenantSettings;
import dev.lanyard.storage.model.TokenKind;
import dev.lanyard.storage.model.User;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@code POST /t/{tenant}/introspect}: OAuth 2.0 Token Introspection (RFC 7662) of every token Lanyard issues
 * that is not a JWT: opaque Kubernetes tokens ({@code lyk_}), the token endpoint's access tokens
 * ({@code lyat_}) and refresh tokens ({@code lyrt_}).
 *
 * <p>The caller must be a confidential client of the tenant ({@code client_secret_basic} or
 * {@code client_secret_post}); a public client gets {@code invalid_client} (401), because introspection
 * tells whose a token is (RFC 7662 §4). A malformed request gets its RFC 6749 §5.2 error. A bad token never
 * does: unknown, revoked, expired, rotated, of another tenant or kind, of a disabled or deleted principal,
 * malformed or oversized, each is answered {@code {"active":false}} and nothing more (§2.2).
 *
 * <p>An active token is answered with {@code sub} (the principal's id), {@code username} (as the TokenReview
 * webhook would name it), {@code exp}, {@code iat}, {@code iss} (the tenant's issuer) and {@code jti} (the
 * token's id). Kubernetes tokens add {@code token_type} ({@code Bearer}) and {@code aud} (the clusters they are
 * bound to; absent when valid on every cluster), but no {@code client_id}: they are minted for a principal, not
 * through a client. Access tokens add {@code token_type}, {@code client_id} and {@code scope}; refresh tokens
 * {@code client_id} and {@code scope} (the family's grant). The token's own prefix says which kind it is, so
 * {@code token_type_hint} (§2.1) cannot send the lookup astray and is not needed.
 *
 * <p>Who may introspect what (§2.2 lets a server answer {@code {"active":false}} to a caller that may not
 * introspect a token): Kubernetes tokens and access tokens are introspected for any confidential client of their
 * tenant, since they are presented to resource servers, which must be able to check them. A refresh token is only
 * ever presented by the client it was issued to, so only that client is told it is active; to every other client
 * it is just inactive, and introspection cannot be used to learn whose refresh tokens a leak contains.
 */
public final class IntrospectionHandler {
  private static final int BODY_LIMIT = 16_384;

  private final ClientAuthenticator clients;
  private final Storage storage;
  private final AccessTokens accessTokens;
  private final Clock clock;
  private final String publicUrl;

  public IntrospectionHandler(ClientAuthenticator clients, Storage storage, AccessTokens accessTokens, Clock clock,
      String publicUrl) {
    this.clients = clients;
    this.storage = storage;
    this.accessTokens = accessTokens;
    this.clock = clock;
    this.publicUrl = publicUrl;
  }

  public void mount(Router router) {
    router.post("/t/:tenant/introspect")
        .handler(RequestBodies.limitedTo(BODY_LIMIT))
        .handler(this::handle);
    PostOnly.mount(router, "/t/:tenant/introspect");
  }

  private void handle(RoutingContext ctx) {
    String tenantId = ctx.pathParam("tenant");
    String source = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
    Future.succeededFuture(ctx.request())
        .map(TokenRevocationRequests::parse)
        .compose(request -> clients.authenticate(tenantId, request.form(), source, client -> {
          if (client.isPublic()) {
            return Future.failedFuture(
                OAuthError.invalidClient("introspection needs a confidential client").exception());
          }
          if (request.token() == null) {
            return Future.failedFuture(OAuthError.invalidRequest("token is required").exception());
          }
          return introspect(tenantId, client.id(), request.token());
        }))
        .onSuccess(answer -> TokenRevocationRequests.json(ctx, answer))
        .onFailure(err -> OAuthErrorResponder.respond(ctx, err));
  }

  /**
   * The RFC 7662 §2.2 answer for {@code token} at {@code tenantId} to the client {@code callerId}; fails only on a
   * fault of Lanyard.
   */
  Future<JsonObject> introspect(String tenantId, String callerId, String token) {
    if (AccessTokenSeal.hasPrefix(token)) return introspectAccess(tenantId, token);
    if (OpaqueTokenFormat.REFRESH.isWellFormed(token)) return introspectRefresh(tenantId, callerId, token);
    if (!OpaqueTokenFormat.KUBERNETES.isWellFormed(token)) return Future.succeededFuture(inactive());
    byte[] hash = OpaqueTokenFormat.hash(token);
    return storage.transaction(s -> {
      Optional<OpaqueToken> found = s.tokens().findByHash(hash);
      Instant now = clock.instant();
      if (found.isEmpty()) return inactive();
      OpaqueToken t = found.get();
      if (!t.tenantId().equals(tenantId) || t.kind() != TokenKind.KUBERNETES || !t.isActiveAt(now)) return inactive();
      String username = username(s, t.tenantId(), t.principalType(), t.principalId());
      if (username == null) return inactive();
      JsonObject answer = new JsonObject().put("active", true)
          .put("sub", t.principalId())
          .put("username", username)
          .put("token_type", "Bearer")
          .put("exp", t.expiresAt().getEpochSecond())
          .put("iat", t.createdAt().getEpochSecond())
          .put("iss", publicUrl + "/t/" + tenantId)
          .put("jti", t.id());
      if (!t.clusters().isEmpty()) {
        // Bound only to clusters deleted since: valid nowhere.
        List<String> clusters = ClusterBindings.of(s, tenantId).live(t.clusters());
        if (clusters.isEmpty()) return inactive();
        answer.put("aud", new JsonArray(clusters));
      }
      return answer;
    });
  }

  private Future<JsonObject> introspectAccess(String tenantId, String token) {
    AccessToken t = accessTokens.open(tenantId, token).orElse(null);
    if (t == null) return Future.succeededFuture(inactive());
    return storage.transaction(s -> {
      if (!AccessTokens.isLive(s, t, clock.instant())) return inactive();
      String username = username(s, tenantId, t.principalType(), t.principalId());
      if (username == null) return inactive();
      return new JsonObject().put("active", true)
          .put("sub", t.principalId())
          .put("username", username)
          .put("client_id", t.clientId())
          .put("scope", String.join(" ", new TreeSet<>(t.scopes())))
          .put("token_type", "Bearer")
          .put("exp", t.expiresAt().getEpochSecond())
          .put("iat", t.issuedAt().getEpochSecond())
          .put("iss", publicUrl + "/t/" + tenantId)
          .put("jti", t.id());
    });
  }

  /** Reads under the family's lock like a use would, so the answer never shows a token mid-rotation as active. */
  private Future<JsonObject> introspectRefresh(String tenantId, String callerId, String token) {
    byte[] hash = OpaqueTokenFormat.hash(token);
    return storage.transaction(s -> {
      RefreshToken.WithFamily found = s.refreshTokens().lockByHash(tenantId, hash).orElse(null);
      Instant now = clock.instant();
      // Another client's refresh token: not one it may introspect (see the class comment).
      if (found == null || !found.family().clientId().equals(callerId) || found.token().rotatedAt() != null
          || !found.family().isLiveAt(now) || !now.isBefore(found.token().expiresAt())) {
        return inactive();
      }
      RefreshFamily f = found.family();
      String username = username(s, tenantId, PrincipalType.USER, f.userId());
      if (username == null) return inactive();
      return new JsonObject().put("active", true)
          .put("sub", f.userId())
          .put("username", username)
          .put("client_id", f.clientId())
          .put("scope", String.join(" ", new TreeSet<>(f.scopes())))
          .put("exp", found.token().expiresAt().getEpochSecond())
          .put("iat", found.token().createdAt().getEpochSecond())
          .put("iss", publicUrl + "/t/" + tenantId)
          .put("jti", found.token().id());
    });
  }

  /**
   * The principal's name as the TokenReview webhook gives it, or null when it is disabled, gone or cannot be
   * named (a tenant naming users by email, and no verified email): such a token is inactive.
   */
  static String username(StoreSession s, String tenantId, PrincipalType type, String principalId) {
    Optional<Tenant> tenant = s.tenants().find(tenantId);
    if (tenant.isEmpty()) return null;
    TenantSettings settings = tenant.get().settings();
    if (type == PrincipalType.USER) {
      User u = s.users().find(tenantId, principalId).orElse(null);
      if (u == null || !u.enabled()) return null;
      return TenantSettings.EMAIL.equals(settings.usernameFrom())
          ? (u.email() != null && u.emailVerified() ? u.email() : null)
          : u.username();
    }
    Robot r = s.robots().find(tenantId, principalId).orElse(null);
    return r == null || !r.enabled() ? null : settings.robotPrefix() + r.name();
  }

  private static JsonObject inactive() {
    return new JsonObject().put("active", false);
  }
}
