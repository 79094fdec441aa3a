package dev.lanyard.idp.oauth;

import dev.lanyard.idp.audit.AuditLog;
import dev.lanyard.idp.authorize.CodeIssuer;
import dev.lanyard.storage.AuthorizationCodeRepository.Redemption;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.model.AuthorizationCode;
import dev.lanyard.storage.model.OAuthClient;
import dev.lanyard.storage.model.User;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;

/**
 * The authorization code grant (RFC 6749 §4.1.3, OIDC Core §3.1.3): exchanges a code from /authorize for tokens
 * through {@link UserTokens}. A code is redeemed (marked used, atomically) before anything else is checked, so
 * whatever is wrong with the request — another client's code, another redirect URI, a wrong PKCE verifier, an
 * expired code — the code is spent and no usable grant is left behind. Every failure is {@code invalid_grant}.
 *
 * <p>A replayed code (used before) means someone else holds it: it is audited as
 * {@code authorization-code.replay}, and the refresh families of the login session it came from are revoked
 * (RFC 6749 §4.1.2: tokens issued from the code SHOULD be revoked; a family records its session, not its code,
 * so the session's other families go too, which a leaked code warrants). Every other refusal is audited through
 * {@link GrantFailures}, with what was wrong (the client is told only {@code invalid_grant}).
 */
public final class AuthorizationCodeGrant implements Grant {
  private static final String INVALID = "the authorization code is invalid, expired or already used";

  private final Storage storage;
  private final UserTokens tokens;
  private final AuditLog audit;
  private final GrantFailures failures;
  private final Clock clock;

  public AuthorizationCodeGrant(Storage storage, UserTokens tokens, AuditLog audit, GrantFailures failures,
      Clock clock) {
    this.storage = storage;
    this.tokens = tokens;
    this.audit = audit;
    this.failures = failures;
    this.clock = clock;
  }

  @Override
  public String grantType() {
    return "authorization_code";
  }

  private record Redeemed(Redemption redemption, Optional<User> user) {}

  @Override
  public Future<JsonObject> exchange(String tenantId, OAuthClient client, TokenRequest request, String source) {
    String code = request.param("code");
    if (code == null) return Future.failedFuture(OAuthError.invalidRequest("code is required").exception());
    if (request.param("redirect_uri") == null) {
      return Future.failedFuture(OAuthError.invalidRequest("redirect_uri is required").exception());
    }
    Instant now = clock.instant();
    byte[] hash = CodeIssuer.hash(code);
    return storage.transaction(s -> {
      Optional<Redemption> r = s.authorizationCodes().redeem(tenantId, hash, now);
      if (r.isEmpty()) return null;
      Optional<User> user = s.users().find(tenantId, r.get().code().userId());
      return new Redeemed(r.get(), user);
    }).compose(redeemed -> {
      if (redeemed == null) return invalid(tenantId, client, null, "unknown authorization code", source);
      AuthorizationCode c = redeemed.redemption().code();
      if (!redeemed.redemption().firstUse()) return replayed(tenantId, client, c, now, source);
      String user = "user:" + c.userId();
      if (!c.clientId().equals(client.id())) {
        return invalid(tenantId, client, user, "authorization code issued to another client", source);
      }
      if (!now.isBefore(c.expiresAt())) return invalid(tenantId, client, user, "authorization code expired", source);
      // OIDC Core §3.1.3.2: the redirect_uri must be identical to the authorization request's.
      if (!c.redirectUri().equals(request.param("redirect_uri"))) {
        return invalid(tenantId, client, user, "redirect_uri differs from the authorization request's", source);
      }
      String verifier = request.param("code_verifier");
      if (c.codeChallenge() != null) {
        if (!Pkce.verifiesS256(verifier, c.codeChallenge())) {
          return invalid(tenantId, client, user, "code_verifier does not match the code challenge", source);
        }
      } else if (verifier != null) {
        // A verifier for a code issued without a challenge: the request was not the one the code came from.
        return invalid(tenantId, client, user, "code_verifier for a code issued without a challenge", source);
      }
      if (redeemed.user().isEmpty() || !redeemed.user().get().enabled()) {
        return invalid(tenantId, client, user, "account disabled", source);
      }
      return tokens.issue(new UserAuthorization(tenantId, client, redeemed.user().get(),
          new LinkedHashSet<>(c.scopes()), c.authTime().getEpochSecond(), c.nonce(), c.sessionId()));
    });
  }

  private Future<JsonObject> replayed(String tenantId, OAuthClient client, AuthorizationCode c, Instant now,
      String source) {
    return storage.transaction(s -> {
      int revoked = c.sessionId() == null ? 0
          : s.refreshTokens().revokeFamiliesOfSession(tenantId, c.sessionId(), now, "authorization code replayed");
      audit.record(s, new AuditLog.Entry(tenantId, "client:" + tenantId + "/" + client.id(),
          "authorization-code.replay", "user:" + tenantId + "/" + c.userId(), AuditLog.FAILURE, source,
          new JsonObject().put("codeClient", c.clientId()).put("session", c.sessionId())
              .put("revokedRefreshFamilies", revoked)));
      return null;
    }).transform(ignored -> invalid());
  }

  private static Future<JsonObject> invalid() {
    return Future.failedFuture(OAuthError.invalidGrant(INVALID).exception());
  }

  /** Audits the refusal with {@code reason}; the client is told only {@link #INVALID}. */
  private Future<JsonObject> invalid(String tenantId, OAuthClient client, String target, String reason,
      String source) {
    failures.record(tenantId, client, grantType(), target, reason, source);
    return invalid();
  }
}
