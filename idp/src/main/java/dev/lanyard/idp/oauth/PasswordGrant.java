package dev.lanyard.idp.oauth;

import dev.lanyard.idp.crypto.PasswordHasher;
import dev.lanyard.idp.login.PasswordRehash;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.model.OAuthClient;
import dev.lanyard.storage.model.User;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/**
 * Resource owner password credentials grant (RFC 6749 §4.3), kubelogin's {@code --grant-type=password}.
 * Only for clients that list it. The password is checked with argon2id off the event loop; an unknown user
 * costs the same time as a wrong password, so timing tells nothing about which usernames exist.
 */
public final class PasswordGrant implements Grant {
  private static final String WRONG_CREDENTIALS = "invalid username or password";

  private final Storage storage;
  private final PasswordHasher hasher;
  private final UserTokens tokens;
  private final Clock clock;
  private final PasswordRehash rehash;

  public PasswordGrant(Storage storage, PasswordHasher hasher, UserTokens tokens, Clock clock) {
    this.storage = storage;
    this.hasher = hasher;
    this.tokens = tokens;
    this.clock = clock;
    this.rehash = new PasswordRehash(storage, hasher, clock);
  }

  @Override
  public String grantType() {
    return "password";
  }

  @Override
  public Future<JsonObject> exchange(String tenantId, OAuthClient client, TokenRequest request) {
    String username = request.param("username");
    String password = request.param("password");
    if (username == null || password == null) {
      return Future.failedFuture(OAuthError.invalidRequest("username and password are required").exception());
    }
    Set<String> scopes = Scopes.granted(request.param("scope"));
    return storage.transaction(s -> findLogin(s, tenantId, username))
        .compose(found -> verify(found, password))
        .compose(user -> tokens.issue(new UserAuthorization(tenantId, client, user, scopes,
            clock.instant().getEpochSecond(), null, null)));
  }

  /** Username first; an address with '@' may also be an email (Keycloak and Dex accept either). */
  private static Optional<User> findLogin(dev.lanyard.storage.StoreSession s, String tenantId, String login) {
    Optional<User> user = s.users().findByUsername(tenantId, login);
    if (user.isEmpty() && login.indexOf('@') > 0) user = s.users().findByEmail(tenantId, login);
    return user;
  }

  private Future<User> verify(Optional<User> found, String password) {
    if (found.isEmpty() || found.get().passwordHash() == null) {
      return hasher.verifyAgainstDummy(password.toCharArray())
          .compose(ignored -> Future.failedFuture(OAuthError.invalidGrant(WRONG_CREDENTIALS).exception()));
    }
    User user = found.get();
    return hasher.verify(user.passwordHash(), password.toCharArray()).compose(ok -> {
      if (!ok) return Future.failedFuture(OAuthError.invalidGrant(WRONG_CREDENTIALS).exception());
      if (!user.enabled()) return Future.failedFuture(OAuthError.invalidGrant("account disabled").exception());
      rehash.ifNeeded(user, password);
      return Future.succeededFuture(user);
    });
  }
}
