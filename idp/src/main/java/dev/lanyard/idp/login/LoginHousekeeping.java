package dev.lanyard.idp.login;

import dev.lanyard.idp.config.LanyardConfig;
import dev.lanyard.storage.Storage;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what the login leaves behind once it is of no use: expired authorization codes (kept an hour past expiry,
 * so a late replay is still recognised and audited), ended or expired login sessions (a day, for the admin's
 * view), and throttle counters past their window and lockout. Every replica runs it; the deletes are idempotent.
 */
public final class LoginHousekeeping {
  private static final Logger log = LoggerFactory.getLogger(LoginHousekeeping.class);
  private static final Duration EVERY = Duration.ofMinutes(10);

  private LoginHousekeeping() {}

  public static void start(Vertx vertx, Storage storage, Clock clock, LanyardConfig.Login settings) {
    vertx.setPeriodic(EVERY.toMillis(), id -> {
      Instant now = clock.instant();
      storage.transaction(s -> s.authorizationCodes().deleteExpiredBefore(now.minus(Duration.ofHours(1)))
              + s.loginSessions().deleteInactiveBefore(now.minus(Duration.ofDays(1)))
              + s.loginFailures().deleteIdleBefore(now.minus(settings.failureWindow())))
          .onSuccess(n -> { if (n > 0) log.debug("login housekeeping deleted {} rows", n); })
          .onFailure(err -> log.warn("login housekeeping failed: {}", err.toString()));
    });
  }
}
