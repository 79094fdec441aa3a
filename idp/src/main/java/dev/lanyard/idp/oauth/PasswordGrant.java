package dev.lanyard.idp.oauth;

import dev.lanyard.idp.crypto.PasswordHasher;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.model.OAuthClient;
import dev.lanyard.storage.model.User;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resource owner password credentials grant (RFC 6749 §4.3), kubelogin's {@code --grant-type=password}.
 * Only for clients that list it. The password is checked with argon2id off the event loop; an unknown user
 * costs the same time as a wrong password, so timing tells nothing about which usernames exist.
 */
public final class PasswordGrant implements Grant {
  private static final Logger log = LoggerFactory.getLogger(PasswordGrant.class);
  private static final String WRONG_CREDENTIALS = "invalid username or password";

  private final Storage storage;
  private final PasswordHasher hasher;
  private final UserTokens tokens;
  private final Clock clock;

  public PasswordGrant(Storage storage, PasswordHasher hasher, UserTokens tokens, Clock clock) {
    this.storage = storage;
    this.hasher = hasher;
    this.tokens = tokens;
    this.clock = clock;
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
      if (hasher.needsRehash(user.passwordHash())) rehash(user, password);
      return Future.succeededFuture(user);
    });
  }

  /** The argon2 parameters changed since this hash was made: store a new hash; the login does not wait for it. */
  private void rehash(User user, String password) {
    hasher.hash(password.toCharArray())
        .compose(hash -> storage.transaction(s -> {
          s.users().find(user.tenantId(), user.id()).ifPresent(current ->
              s.users().update(current.withPasswordHash(hash, clock.instant())));
          return null;
        }))
        .onFailure(err -> log.warn("rehash of user {} failed: {}", user.id(), err.toString()));
  }
}
