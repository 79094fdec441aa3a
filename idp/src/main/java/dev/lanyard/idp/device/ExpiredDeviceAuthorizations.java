package dev.lanyard.idp.device;

import dev.lanyard.storage.Storage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes device authorizations some time after they expired, so the table holds only recent ones. The grace
 * period keeps a late poll answered {@code expired_token} rather than {@code invalid_grant}.
 */
public final class ExpiredDeviceAuthorizations {
  private static final Logger log = LoggerFactory.getLogger(ExpiredDeviceAuthorizations.class);
  static final Duration EVERY = Duration.ofMinutes(10);
  static final Duration GRACE = Duration.ofHours(1);

  private final Storage storage;
  private final Clock clock;

  public ExpiredDeviceAuthorizations(Storage storage, Clock clock) {
    this.storage = storage;
    this.clock = clock;
  }

  /** Runs {@link #deleteNow} every ten minutes until Vert.x closes. */
  public void schedule(Vertx vertx) {
    vertx.setPeriodic(EVERY.toMillis(), id -> deleteNow());
  }

  /** One clean-up; returns how many were deleted. A failure is logged and the next run tries again. */
  public Future<Integer> deleteNow() {
    return storage.transaction(s -> s.deviceAuthorizations().deleteExpiredBefore(clock.instant().minus(GRACE)))
        .onSuccess(n -> {
          if (n > 0) log.debug("deleted {} expired device authorizations", n);
        })
        .onFailure(err -> log.warn("deleting expired device authorizations failed: {}", err.toString()));
  }
}
