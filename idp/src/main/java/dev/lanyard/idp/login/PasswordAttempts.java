package dev.lanyard.idp.login;

import dev.lanyard.idp.audit.AuditLog;
import dev.lanyard.idp.audit.RepeatedFailures;
import dev.lanyard.idp.crypto.PasswordHasher;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.StoreSession;
import dev.lanyard.storage.model.User;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * A password checked for a program (the password grant, the admin API's login) under the same {@link LoginThrottle}
 * counters as the sign-in page, so no way in guesses faster than the page allows: the account and the source
 * address are checked first, and a refused attempt's password is not checked; an unknown user costs the same
 * argon2 time as a wrong password; a wrong password, an unknown user or a disabled account is a failure, counted
 * and audited in one transaction.
 *
 * <p>A refused attempt costs its sender nothing, so it is audited through {@link RepeatedFailures}: one row per
 * kind and window plus a count, not a row per request. So is a failure at a tenant that does not exist (nothing
 * counts it), under no tenant. A verified password forgets the account's failures, which
 * is a write only when there are some: a login with none writes nothing here.
 */
public final class PasswordAttempts {
  /** How a caller finds the account a login names. */
  public interface Accounts {
    Optional<User> find(StoreSession s, String tenantId, String login);
  }

  /** By username only (the admin API). */
  public static final Accounts BY_USERNAME = (s, tenantId, login) -> s.users().findByUsername(tenantId, login);
  /** By username, then by email (the sign-in page and the password grant). */
  public static final Accounts BY_USERNAME_OR_EMAIL = LoginAccounts::find;

  /** What an attempt came to. */
  public sealed interface Outcome permits Refused, Failed, Verified {}

  /** Refused by the throttle, the password unchecked. */
  public record Refused(LoginThrottle.Refusal refusal) implements Outcome {}

  /** A failure, counted and audited: {@link #WRONG_CREDENTIALS} (wrong password, unknown user) or {@link #DISABLED}. */
  public record Failed(String reason) implements Outcome {
    public static final String WRONG_CREDENTIALS = "wrong_credentials";
    public static final String DISABLED = "disabled";
  }

  /** The password is the user's, and the user is enabled. */
  public record Verified(User user) implements Outcome {}

  private record Lookup(Optional<User> user, String accountKey, LoginThrottle.Standing standing) {}

  private final Storage storage;
  private final PasswordHasher hasher;
  private final LoginThrottle throttle;
  private final AuditLog audit;
  private final RepeatedFailures refusals;
  private final Clock clock;
  private final PasswordRehash rehash;

  public PasswordAttempts(Storage storage, PasswordHasher hasher, LoginThrottle throttle, AuditLog audit,
      RepeatedFailures refusals, Clock clock) {
    this.storage = storage;
    this.hasher = hasher;
    this.throttle = throttle;
    this.audit = audit;
    this.refusals = refusals;
    this.clock = clock;
    this.rehash = new PasswordRehash(storage, hasher, clock);
  }

  /**
   * Checks {@code password} for the account {@code login} names in {@code tenantId}. Fails only on a fault (the
   * database, a busy hasher).
   *
   * @param address the caller's address, counted like the sign-in page counts it; null when unknown
   * @param failure the audit entry of a failed or refused attempt, given its reason and the user (when the login
   *     names one)
   */
  public Future<Outcome> attempt(String tenantId, String login, String password, String address, Accounts accounts,
      BiFunction<String, Optional<User>, AuditLog.Entry> failure) {
    String from = address == null ? "unknown" : address;
    return storage.transaction(s -> {
      Optional<User> user = accounts.find(s, tenantId, login);
      String key = LoginAccounts.throttleKey(user, login);
      return new Lookup(user, key, throttle.standing(s, tenantId, key, from, clock.instant()));
    }).compose(lookup -> {
      Optional<LoginThrottle.Refusal> refusal = lookup.standing().refusal();
      if (refusal.isPresent()) {
        refusals.record(failure.apply(refusal.get().reason(), lookup.user()));
        return Future.succeededFuture(new Refused(refusal.get()));
      }
      User user = lookup.user().filter(u -> u.passwordHash() != null).orElse(null);
      Future<Boolean> verified = user != null ? hasher.verify(user.passwordHash(), password.toCharArray())
          : hasher.verifyAgainstDummy(password.toCharArray()).map(ignored -> false);
      return verified.compose(ok -> {
        if (!ok) return fail(tenantId, lookup, from, Failed.WRONG_CREDENTIALS, failure);
        if (!user.enabled()) return fail(tenantId, lookup, from, Failed.DISABLED, failure);
        rehash.ifNeeded(user, password);
        Outcome verifiedUser = new Verified(user);
        if (!lookup.standing().accountHasFailures()) return Future.succeededFuture(verifiedUser);
        return storage.transaction(s -> {
          throttle.recordSuccess(s, tenantId, lookup.accountKey());
          return verifiedUser;
        });
      });
    });
  }

  private Future<Outcome> fail(String tenantId, Lookup lookup, String address, String reason,
      BiFunction<String, Optional<User>, AuditLog.Entry> failure) {
    AuditLog.Entry entry = failure.apply(reason, lookup.user());
    Instant now = clock.instant();
    return storage.transaction(s -> {
      boolean tenantExists = lookup.user().isPresent() || s.tenants().find(tenantId).isPresent();
      if (tenantExists) {
        throttle.recordFailure(s, tenantId, lookup.accountKey(), address, now);
        audit.record(s, entry);
      }
      return tenantExists;
    }).map(tenantExists -> {
      // Counters belong to a tenant: a login at a made-up one (the admin API's) is not counted, so nothing slows
      // it down; it is audited like a refusal, under no tenant (the typed one in details), not a row per attempt.
      if (!tenantExists) refusals.record(entry.atUnknownTenant(tenantId));
      return new Failed(reason);
    });
  }
}
