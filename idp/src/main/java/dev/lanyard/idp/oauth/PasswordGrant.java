package dev.lanyard.idp.oauth;

import dev.lanyard.idp.audit.AuditLog;
import dev.lanyard.idp.login.PasswordAttempts;
import dev.lanyard.storage.model.OAuthClient;
import dev.lanyard.storage.model.User;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/**
 * Resource owner password credentials grant (RFC 6749 §4.3), kubelogin's {@code --grant-type=password}.
 * Only for clients that list it. The password is checked by {@link PasswordAttempts}: argon2id off the event
 * loop, an unknown user costing the same time as a wrong password, under the sign-in page's login throttle.
 * A failure is audited as the sign-in page audits it ({@code login}, with the grant and client in its details)
 * and answered {@code invalid_grant}; so is a throttled or locked account, with a description saying how long
 * to wait (as Keycloak's brute-force detection answers direct grants), its password unchecked.
 */
public final class PasswordGrant implements Grant {
  private static final String WRONG_CREDENTIALS = "invalid username or password";
  /** Longest login recorded in an audit event. */
  private static final int MAX_AUDITED_LOGIN = 64;

  private final PasswordAttempts passwords;
  private final UserTokens tokens;
  private final Clock clock;

  public PasswordGrant(PasswordAttempts passwords, UserTokens tokens, Clock clock) {
    this.passwords = passwords;
    this.tokens = tokens;
    this.clock = clock;
  }

  @Override
  public String grantType() {
    return "password";
  }

  @Override
  public Future<JsonObject> exchange(String tenantId, OAuthClient client, TokenRequest request, String source) {
    String username = request.param("username");
    String password = request.param("password");
    if (username == null || password == null) {
      return Future.failedFuture(OAuthError.invalidRequest("username and password are required").exception());
    }
    Set<String> scopes = Scopes.granted(request.param("scope"));
    return passwords.attempt(tenantId, username, password, source, PasswordAttempts.BY_USERNAME_OR_EMAIL,
            (reason, user) -> failure(tenantId, client, username, user, reason, source))
        .compose(outcome -> {
          if (outcome instanceof PasswordAttempts.Verified v) {
            return tokens.issue(new UserAuthorization(tenantId, client, v.user(), scopes,
                clock.instant().getEpochSecond(), null, null));
          }
          String why = outcome instanceof PasswordAttempts.Refused r ? r.refusal().describe()
              : PasswordAttempts.Failed.DISABLED.equals(((PasswordAttempts.Failed) outcome).reason())
              ? "account disabled" : WRONG_CREDENTIALS;
          return Future.failedFuture(OAuthError.invalidGrant(why).exception());
        });
  }

  /** The sign-in page's failure event, naming the grant and client; the typed login, never the password. */
  private static AuditLog.Entry failure(String tenantId, OAuthClient client, String login, Optional<User> user,
      String reason, String source) {
    return new AuditLog.Entry(tenantId, "anonymous", "login", user.map(u -> "user:" + tenantId + "/" + u.id())
        .orElse(null), AuditLog.FAILURE, source, new JsonObject().put("reason", reason)
        .put("login", login.length() > MAX_AUDITED_LOGIN ? login.substring(0, MAX_AUDITED_LOGIN) : login)
        .put("grant", "password").put("client", client.id()));
  }
}
