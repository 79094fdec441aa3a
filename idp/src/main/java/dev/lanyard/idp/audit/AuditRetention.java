package dev.lanyard.idp.audit;

import dev.lanyard.storage.Storage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes stored audit events older than {@code audit.retention}, now and then, so the trail does not only grow.
 * A sweep deletes in batches of {@link #BATCH}, each in a transaction of its own, one after another: a backlog
 * (a first start after years) never holds one long transaction or locks the table while events are appended.
 * Every replica runs it; the deletes are idempotent.
 */
public final class AuditRetention {
  private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);
  static final int BATCH = 1_000;
  static final Duration EVERY = Duration.ofMinutes(10);

  private final Storage storage;
  private final Clock clock;
  private final Duration retention;
  private final int batch;

  public AuditRetention(Storage storage, Clock clock, Duration retention) {
    this(storage, clock, retention, BATCH);
  }

  AuditRetention(Storage storage, Clock clock, Duration retention, int batch) {
    this.storage = storage;
    this.clock = clock;
    this.retention = retention;
    this.batch = batch;
  }

  /** Runs {@link #sweep} every 10 minutes on {@code vertx}'s timer (the deletes run on storage threads). */
  public void schedule(Vertx vertx) {
    vertx.setPeriodic(EVERY.toMillis(), id -> sweep()
        .onSuccess(n -> { if (n > 0) log.debug("audit retention deleted {} events", n); })
        .onFailure(err -> log.warn("deleting old audit events failed: {}", err.toString())));
  }

  /** One sweep: batches until one comes back short; returns how many events it deleted. */
  public Future<Long> sweep() {
    return deleteFrom(clock.instant().minus(retention), 0);
  }

  private Future<Long> deleteFrom(Instant before, long deleted) {
    return storage.transaction(s -> s.audit().deleteBefore(before, batch))
        .compose(n -> n < batch ? Future.succeededFuture(deleted + n) : deleteFrom(before, deleted + n));
  }
}
