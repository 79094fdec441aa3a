package dev.lanyard.idp.device;

import dev.lanyard.idp.audit.AuditLog;
import dev.lanyard.idp.oauth.Grant;
import dev.lanyard.idp.oauth.GrantFailures;
import dev.lanyard.idp.oauth.OAuthError;
import dev.lanyard.idp.oauth.OAuthException;
import dev.lanyard.idp.oauth.TokenRequest;
import dev.lanyard.idp.oauth.UserAuthorization;
import dev.lanyard.idp.oauth.UserTokens;
import dev.lanyard.idp.tokens.OpaqueTokenFormat;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.StoreSession;
import dev.lanyard.storage.model.DeviceAuthorization;
import dev.lanyard.storage.model.OAuthClient;
import dev.lanyard.storage.model.User;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;

/**
 * The device code grant at the token endpoint (RFC 8628 §3.4, §3.5): the device polls with its
 * {@code device_code} until the user has decided.
 *
 * <p>Each poll runs in one transaction holding the authorization's row lock, so concurrent polls of one code
 * take turns. Answers: {@code authorization_pending} while the user has not decided; {@code slow_down} when the
 * device polled sooner than its interval after the previous poll, which also raises its interval by 5 seconds for
 * good; {@code access_denied} once denied; {@code expired_token} once the code has run out; tokens, through
 * {@link UserTokens}, exactly once after approval; {@code invalid_grant} for an unknown or spent code, one issued
 * to another client, or one approved by an account disabled since, each audited through {@link GrantFailures}.
 */
public final class DeviceCodeGrant implements Grant {
  public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";
  /** RFC 8628 §3.5: each slow_down adds 5 seconds to the interval, for this and all later polls. */
  static final int SLOW_DOWN_SECONDS = 5;
  private static final String UNKNOWN = "unknown device code";

  private final Storage storage;
  private final UserTokens tokens;
  private final AuditLog audit;
  private final GrantFailures failures;
  private final Clock clock;

  public DeviceCodeGrant(Storage storage, UserTokens tokens, AuditLog audit, GrantFailures failures, Clock clock) {
    this.storage = storage;
    this.tokens = tokens;
    this.audit = audit;
    this.failures = failures;
    this.clock = clock;
  }

  @Override
  public String grantType() {
    return GRANT_TYPE;
  }

  @Override
  public Future<JsonObject> exchange(String tenantId, OAuthClient client, TokenRequest request, String source) {
    String deviceCode = request.param("device_code");
    if (deviceCode == null) {
      return Future.failedFuture(OAuthError.invalidRequest("device_code is required").exception());
    }
    // A malformed code cannot exist: refuse it without a database read.
    if (!OpaqueTokenFormat.DEVICE_CODE.isWellFormed(deviceCode)) {
      failures.record(tenantId, client, GRANT_TYPE, null, UNKNOWN, source);
      return Future.failedFuture(OAuthError.invalidGrant(UNKNOWN).exception());
    }
    byte[] hash = OpaqueTokenFormat.hash(deviceCode);
    return storage.transaction(s -> poll(s, tenantId, client, hash)).onFailure(err -> {
      // The other refusals (pending, slow down, denied, expired) are the protocol's ordinary answers.
      if (err instanceof OAuthException e && "invalid_grant".equals(e.error().code())) {
        failures.record(tenantId, client, GRANT_TYPE, null, e.error().description(), source);
      }
    }).compose(outcome -> {
      if (outcome instanceof Poll.SlowDown slow) {
        return Future.failedFuture(OAuthError.slowDown(slow.intervalSeconds()).exception());
      }
      if (!(outcome instanceof Poll.Approved ok)) {
        return Future.failedFuture(OAuthError.authorizationPending().exception());
      }
      DeviceAuthorization a = ok.authorization();
      return tokens.issue(new UserAuthorization(tenantId, client, ok.user(), new HashSet<>(a.scopes()),
          a.authTime().getEpochSecond(), null, a.sessionId()));
    });
  }

  /** What a poll came to. Errors that change nothing are thrown instead; these commit what the poll recorded. */
  private sealed interface Poll {
    record Pending() implements Poll {}

    record SlowDown(int intervalSeconds) implements Poll {}

    record Approved(DeviceAuthorization authorization, User user) implements Poll {}
  }

  private Poll poll(StoreSession s, String tenantId, OAuthClient client, byte[] hash) {
    DeviceAuthorization a = s.deviceAuthorizations().lockByDeviceCodeHash(tenantId, hash)
        .orElseThrow(() -> OAuthError.invalidGrant(UNKNOWN).exception());
    // RFC 8628 §3.4: the device code is bound to the client that asked for it.
    if (!a.clientId().equals(client.id())) {
      throw OAuthError.invalidGrant("device code was issued to another client").exception();
    }
    Instant now = clock.instant();
    switch (a.status()) {
      case CONSUMED -> throw OAuthError.invalidGrant("device code already used").exception();
      case DENIED -> {
        if (a.isExpiredAt(now)) throw OAuthError.expiredToken("device code expired").exception();
        throw OAuthError.accessDenied("the user denied the request").exception();
      }
      case PENDING -> {
        if (a.isExpiredAt(now)) throw OAuthError.expiredToken("device code expired").exception();
        boolean tooSoon = a.lastPolledAt() != null && now.isBefore(a.lastPolledAt().plusSeconds(a.intervalSeconds()));
        int interval = tooSoon ? a.intervalSeconds() + SLOW_DOWN_SECONDS : a.intervalSeconds();
        s.deviceAuthorizations().recordPoll(tenantId, a.id(), now, interval);
        return tooSoon ? new Poll.SlowDown(interval) : new Poll.Pending();
      }
      case APPROVED -> {
        if (a.isExpiredAt(now)) throw OAuthError.expiredToken("device code expired").exception();
        // Approval cascades away with a deleted user; a disabled one gets nothing.
        User user = s.users().find(tenantId, a.userId()).filter(User::enabled)
            .orElseThrow(() -> OAuthError.invalidGrant("the approving account is disabled").exception());
        if (!s.deviceAuthorizations().consume(tenantId, a.id(), now)) {
          throw OAuthError.invalidGrant("device code already used").exception();
        }
        audit.record(s, new AuditLog.Entry(tenantId, "client:" + client.id(), "device.redeem",
            "device:" + a.id(), AuditLog.SUCCESS, null, new JsonObject().put("user", user.username())
                .put("scopes", new JsonArray(a.scopes()))));
        return new Poll.Approved(a, user);
      }
      default -> throw new IllegalStateException("unknown status " + a.status());
    }
  }
}
