package dev.lanyard.idp.login;

import dev.lanyard.idp.config.LanyardConfig;
import dev.lanyard.storage.StoreSession;
import dev.lanyard.storage.model.LoginFailures;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Slows down password guessing, per account and per source address, with state in the database so every replica
 * sees the same counts. After {@code freeFailures} failures of an account, the next attempt is refused (without
 * checking the password) until 1 s, then 2 s, 4 s ... (at most {@code maxDelay}) after the latest failure; at
 * {@code lockoutThreshold} failures within {@code failureWindow} the account is locked for
 * {@code lockoutDuration}. A source address is treated the same with larger numbers (many people may share one
 * behind a NAT): free up to {@code lockoutThreshold}, locked at {@code addressLockoutThreshold}.
 *
 * <p>Accounts are counted by user id, or by the typed login when no user has it, so unknown and known usernames
 * behave alike.
 */
public final class LoginThrottle {
  private final LanyardConfig.Login settings;
  private final String subjectKind;
  private final String addressKind;

  public LoginThrottle(LanyardConfig.Login settings) {
    this(settings, LoginFailures.ACCOUNT, LoginFailures.ADDRESS);
  }

  /**
   * The same policy for another kind of guessing (e.g. user codes on the device page), counted apart from password
   * failures under its own counter kinds: {@code subjectKind} takes the place of the account.
   */
  public LoginThrottle(LanyardConfig.Login settings, String subjectKind, String addressKind) {
    this.settings = settings;
    this.subjectKind = subjectKind;
    this.addressKind = addressKind;
  }

  /** Why a login attempt is refused before its password is checked. */
  public record Refusal(boolean locked, boolean byAddress, long retryAfterSeconds) {
    /** The audit trail's reason: {@code locked} or {@code throttled} (a wait). */
    public String reason() {
      return locked ? "locked" : "throttled";
    }

    /** The wait, rounded up to minutes: "a minute", "15 minutes". */
    public String minutes() {
      long m = (retryAfterSeconds + 59) / 60;
      return m <= 1 ? "a minute" : m + " minutes";
    }

    /** What a program is told (the password grant's and admin login's refusal; the sign-in page words its own). */
    public String describe() {
      if (!locked) {
        return "too many failed logins: wait " + retryAfterSeconds + (retryAfterSeconds == 1 ? " second" : " seconds")
            + ", then try again";
      }
      return byAddress ? "too many failed logins from this address: try again in " + minutes()
          : "the account is locked after too many failed logins: try again in " + minutes();
    }
  }

  /**
   * What the throttle knows before an attempt: a refusal when the account or the address must wait or is locked,
   * and whether the account has failures on record ({@link #recordSuccess} has something to forget only then).
   */
  public record Standing(Optional<Refusal> refusal, boolean accountHasFailures) {}

  /** A refusal when the account or the address must wait or is locked, else empty. */
  public Optional<Refusal> check(StoreSession s, String tenantId, String accountKey, String address, Instant now) {
    return standing(s, tenantId, accountKey, address, now).refusal();
  }

  /** As {@link #check}, telling also whether the account has failures on record. */
  public Standing standing(StoreSession s, String tenantId, String accountKey, String address, Instant now) {
    Optional<LoginFailures> accountFailures = s.loginFailures().find(tenantId, subjectKind, accountKey);
    Optional<Refusal> account = accountFailures.flatMap(f -> refusal(f, settings.freeFailures(), now, false));
    if (account.isPresent()) return new Standing(account, true);
    Optional<Refusal> from = s.loginFailures().find(tenantId, addressKind, address)
        .flatMap(f -> refusal(f, settings.lockoutThreshold(), now, true));
    return new Standing(from, accountFailures.isPresent());
  }

  /** Counts a failed login of {@code accountKey} from {@code address}; locks either when it reached its threshold. */
  public void recordFailure(StoreSession s, String tenantId, String accountKey, String address, Instant now) {
    Instant forgetBefore = now.minus(settings.failureWindow());
    LoginFailures account = s.loginFailures().recordFailure(tenantId, subjectKind, accountKey, now, forgetBefore);
    if (account.failures() >= settings.lockoutThreshold()) {
      s.loginFailures().lockUntil(tenantId, subjectKind, accountKey, now.plus(settings.lockoutDuration()));
    }
    LoginFailures from = s.loginFailures().recordFailure(tenantId, addressKind, address, now, forgetBefore);
    if (from.failures() >= settings.addressLockoutThreshold()) {
      s.loginFailures().lockUntil(tenantId, addressKind, address, now.plus(settings.lockoutDuration()));
    }
  }

  /** A successful login forgets the account's failures (not the address's: one good password does not vouch for a network). */
  public void recordSuccess(StoreSession s, String tenantId, String accountKey) {
    s.loginFailures().clear(tenantId, subjectKind, accountKey);
  }

  private Optional<Refusal> refusal(LoginFailures f, int free, Instant now, boolean byAddress) {
    if (f.lockedUntil() != null && now.isBefore(f.lockedUntil())) {
      return Optional.of(new Refusal(true, byAddress, secondsUntil(now, f.lockedUntil())));
    }
    if (f.lastFailedAt().isBefore(now.minus(settings.failureWindow()))) return Optional.empty();
    int over = f.failures() - free;
    if (over < 0) return Optional.empty();
    Duration wait = over >= 30 ? settings.maxDelay() : Duration.ofSeconds(1L << over);
    if (wait.compareTo(settings.maxDelay()) > 0) wait = settings.maxDelay();
    Instant next = f.lastFailedAt().plus(wait);
    return now.isBefore(next) ? Optional.of(new Refusal(false, byAddress, secondsUntil(now, next))) : Optional.empty();
  }

  private static long secondsUntil(Instant now, Instant then) {
    return Math.max(1, (Duration.between(now, then).toMillis() + 999) / 1000);
  }
}
