package dev.lanyard.idp.login;

import dev.lanyard.idp.crypto.PasswordHasher;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.model.User;
import io.vertx.core.Future;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a successful password check: when the argon2 parameters changed since the user's hash was made, store a
 * new hash of the password just verified. The login does not wait for it.
 *
 * <p>The new hash replaces the old one only if the stored hash is still the one verified. An administrator may
 * have set a new password, or disabled the account, in the milliseconds the hashing took; writing the whole user
 * row back would undo that (and could bring back the password that was just changed).
 */
public final class PasswordRehash {
  private static final Logger log = LoggerFactory.getLogger(PasswordRehash.class);

  private final Storage storage;
  private final PasswordHasher hasher;
  private final Clock clock;

  public PasswordRehash(Storage storage, PasswordHasher hasher, Clock clock) {
    this.storage = storage;
    this.hasher = hasher;
    this.clock = clock;
  }

  /**
   * @param verified the user as read before the password was checked against its hash
   * @return whether a new hash was stored (callers need not wait for it; tests do)
   */
  public Future<Boolean> ifNeeded(User verified, String password) {
    String oldHash = verified.passwordHash();
    if (oldHash == null || !hasher.needsRehash(oldHash)) return Future.succeededFuture(false);
    return hasher.hash(password.toCharArray())
        .compose(newHash -> storage.transaction(s -> s.users().replacePasswordHash(verified.tenantId(), verified.id(),
            oldHash, newHash, clock.instant())))
        .onFailure(err -> log.warn("rehash of user {} failed: {}", verified.id(), err.toString()));
  }
}
