package dev.lanyard.idp.oauth;

import dev.lanyard.idp.audit.AuditLog;
import dev.lanyard.idp.tokens.OpaqueTokenFormat;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.StoreSession;
import dev.lanyard.storage.model.OAuthClient;
import dev.lanyard.storage.model.RefreshFamily;
import dev.lanyard.storage.model.RefreshToken;
import dev.lanyard.storage.model.Tenant;
import dev.lanyard.storage.model.User;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Refresh token grant (RFC 6749 §6) with rotation and replay detection (OAuth 2.0 Security BCP §4.14.2).
 *
 * <p>Each use locks the token's family, checks it, marks the token rotated and stores its successor, the new
 * access token and the audit event in one transaction; the answer carries the successor and a new ID token with
 * the user's current groups (kubelogin refuses a refresh response without one). A token presented again after
 * its rotation means two parties hold it: the whole family is revoked (with its access tokens), so the newest
 * token stops working too, and the event is audited. Of two concurrent uses of one token exactly one wins; the
 * other waits for the family lock, sees the rotation and counts as a replay.
 *
 * <p>The token is bound to the client it was issued to; {@code scope} may narrow the grant for this response,
 * never widen it (the family keeps what the user granted); a disabled or deleted user ends it. Every
 * {@code invalid_grant} but a replay (audited with what it revoked) is audited through {@link GrantFailures}.
 */
public final class RefreshTokenGrant implements Grant {
  /** revoke_reason of a family ended by replay detection. */
  public static final String REPLAY = "replay";
  private static final String UNKNOWN = "unknown refresh token";

  private final Storage storage;
  private final UserTokenMinter minter;
  private final AuditLog audit;
  private final GrantFailures failures;
  private final Clock clock;

  public RefreshTokenGrant(Storage storage, UserTokenMinter minter, AuditLog audit, GrantFailures failures,
      Clock clock) {
    this.storage = storage;
    this.minter = minter;
    this.audit = audit;
    this.failures = failures;
    this.clock = clock;
  }

  @Override
  public String grantType() {
    return UserTokenMinter.REFRESH_TOKEN_GRANT;
  }

  /**
   * What the transaction decided: tokens to sign and send, or an error to answer after committing, which is
   * audited as a grant failure when {@code failed} (with {@code target}, the user, when known).
   */
  private record Outcome(UserTokenMinter.Minted minted, OAuthError error, boolean failed, String target) {
    /** Not a failed authentication (a scope asked beyond the grant), or one audited already (a replay). */
    static Outcome refused(OAuthError error) {
      return new Outcome(null, error, false, null);
    }

    static Outcome failed(String reason, String target) {
      return new Outcome(null, OAuthError.invalidGrant(reason), true, target);
    }
  }

  @Override
  public Future<JsonObject> exchange(String tenantId, OAuthClient client, TokenRequest request, String source) {
    String presented = request.param("refresh_token");
    if (presented == null) {
      return Future.failedFuture(OAuthError.invalidRequest("refresh_token is required").exception());
    }
    // A mistyped, truncated or made-up token is refused before any database work.
    if (!OpaqueTokenFormat.REFRESH.isWellFormed(presented)) return refuse(tenantId, client, UNKNOWN, source);
    String scopeParam = request.param("scope");
    byte[] hash = OpaqueTokenFormat.hash(presented);
    // Refusals that must stay written (replay revokes the family) are returned, not thrown, so the work commits.
    return storage.transaction(s -> use(s, tenantId, client, hash, scopeParam, source)).compose(outcome -> {
      if (outcome.error() == null) return minter.respond(outcome.minted());
      if (outcome.failed()) {
        failures.record(tenantId, client, grantType(), outcome.target(), outcome.error().description(), source);
      }
      return Future.failedFuture(outcome.error().exception());
    });
  }

  private Future<JsonObject> refuse(String tenantId, OAuthClient client, String reason, String source) {
    failures.record(tenantId, client, grantType(), null, reason, source);
    return Future.failedFuture(OAuthError.invalidGrant(reason).exception());
  }

  private Outcome use(StoreSession s, String tenantId, OAuthClient client, byte[] hash, String scopeParam,
      String source) {
    Optional<RefreshToken.WithFamily> found = s.refreshTokens().lockByHash(tenantId, hash);
    if (found.isEmpty()) return Outcome.failed(UNKNOWN, null);
    RefreshToken token = found.get().token();
    RefreshFamily family = found.get().family();
    String target = "user:" + family.userId();
    if (!family.clientId().equals(client.id())) {
      return Outcome.failed("refresh token was issued to another client", target);
    }
    if (family.revokedAt() != null) return Outcome.failed("refresh token revoked", target);
    Instant now = clock.instant();
    if (token.rotatedAt() != null) return replay(s, family, token, now, source);
    if (!now.isBefore(token.expiresAt()) || !now.isBefore(family.expiresAt())) {
      return Outcome.failed("refresh token expired", target);
    }
    Set<String> scopes = family.scopes();
    if (scopeParam != null) {
      scopes = new LinkedHashSet<>();
      for (String scope : scopeParam.split(" ")) {
        if (scope.isEmpty()) continue;
        if (!family.scopes().contains(scope)) {
          return Outcome.refused(OAuthError.invalidScope("scope " + scope + " was not granted"));
        }
        scopes.add(scope);
      }
    }
    User user = s.users().find(tenantId, family.userId()).orElse(null);
    if (user == null || !user.enabled()) return Outcome.failed("account disabled", target);
    Tenant tenant = s.tenants().find(tenantId).orElseThrow(() -> OAuthError.notFound("unknown tenant").exception());

    String next = OpaqueTokenFormat.REFRESH.generate();
    RefreshToken successor = minter.successor(family, next, now, tenant.settings());
    if (!s.refreshTokens().rotate(tenantId, token.id(), now, successor)) {
      return replay(s, family, token, now, source); // unreachable under the family lock; safe if it were not
    }
    UserTokenMinter.Minted minted = minter.mint(s, new UserAuthorization(tenantId, client, user, scopes,
        family.authTime().getEpochSecond(), null, family.sessionId()), new UserTokenMinter.Continued(family.id(), next),
        tenant.settings());
    audit.record(s, new AuditLog.Entry(tenantId, "client:" + client.id(), "token.refresh", "user:" + user.id(),
        AuditLog.SUCCESS, source, new JsonObject().put("family", family.id())
            .put("scope", new JsonArray(java.util.List.copyOf(minted.authorization().scopes())))));
    return new Outcome(minted, null, false, null);
  }

  /**
   * A rotated token came back: end the family, and with it its access tokens (they name the family, see
   * {@link dev.lanyard.idp.tokens.AccessTokens#isLive}), and record it.
   */
  private Outcome replay(StoreSession s, RefreshFamily family, RefreshToken token, Instant now, String source) {
    s.refreshTokens().revokeFamily(family.tenantId(), family.id(), now, REPLAY);
    audit.record(s, new AuditLog.Entry(family.tenantId(), "client:" + family.clientId(), "token.refresh.replay",
        "user:" + family.userId(), AuditLog.FAILURE, source, new JsonObject().put("family", family.id())
            .put("token", token.id()).put("rotatedAt", token.rotatedAt().toString())));
    return Outcome.refused(OAuthError.invalidGrant("refresh token already used; its grant has been revoked"));
  }
}
