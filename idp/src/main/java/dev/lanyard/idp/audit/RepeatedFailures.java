package dev.lanyard.idp.audit;

import dev.lanyard.storage.Storage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Audits failures that anyone can cause at request rate (token guessing, a caller without the webhook
 * credential, a cluster with a stale credential) without writing one row per request, which would let a
 * guesser fill the disk and slow everyone else's reviews. The first failure of a kind in each window is
 * recorded at once; the ones like it that follow within the window are counted, and the count is recorded as
 * one more event (details {@code repeated}) when the window ends. "Like it": same tenant, actor, action,
 * target, outcome, source and {@code details.reason}.
 *
 * <p>So that fields a caller makes up (an address, a client id) cannot open windows without end, at most
 * {@value #MAX_KINDS} kinds are open at once; beyond that, a new kind's failures are counted with every other
 * failure of the same action, whatever its tenant, and that count is recorded as a process-wide event. Memory
 * and rows per window are bounded either way. Callers keep made-up values out of the tenant: a failure whose
 * tenant is not known to exist is recorded with none.
 */
public final class RepeatedFailures {
  /** Beyond this many distinct kinds at once (a guesser from many addresses), failures share one kind per action. */
  static final int MAX_KINDS = 10_000;

  private final Storage storage;
  private final AuditLog audit;
  private final long windowNanos;
  private final int maxKinds;
  private final Map<Kind, Window> windows = new ConcurrentHashMap<>();
  private final Vertx vertx;
  private final long timerId;

  /** What makes two failures alike; a crowded kind has only the action. One small object per failure. */
  private record Kind(String tenantId, String actor, String action, String target, String outcome, String source,
      String reason) {
    static Kind of(AuditLog.Entry e) {
      return new Kind(e.tenantId(), e.actor(), e.action(), e.target(), e.outcome(), e.source(),
          e.details() == null ? null : e.details().getString("reason"));
    }

    static Kind crowded(String action) {
      return new Kind(null, null, action, null, null, null, null);
    }

    boolean isCrowded() {
      return actor == null;
    }
  }

  private static final class Window {
    final AuditLog.Entry first;
    final long startedNanos;
    final boolean crowded;
    final AtomicLong repeated = new AtomicLong();

    Window(AuditLog.Entry first, long startedNanos, boolean crowded) {
      this.first = first;
      this.startedNanos = startedNanos;
      this.crowded = crowded;
    }
  }

  public RepeatedFailures(Vertx vertx, Storage storage, AuditLog audit, Duration window) {
    this(vertx, storage, audit, window, MAX_KINDS);
  }

  RepeatedFailures(Vertx vertx, Storage storage, AuditLog audit, Duration window, int maxKinds) {
    this.vertx = vertx;
    this.storage = storage;
    this.audit = audit;
    this.windowNanos = window.toNanos();
    this.maxKinds = maxKinds;
    this.timerId = vertx.setPeriodic(Math.max(1, window.toMillis() / 2), id -> flush(false));
  }

  /**
   * Records {@code entry}, or counts it when one like it was recorded within the window. Cheap when it counts:
   * no storage, no JSON, one small key object.
   */
  public void record(AuditLog.Entry entry) {
    Kind kind = Kind.of(entry);
    Window current = windows.get(kind);
    if (current == null && windows.size() >= maxKinds) {
      kind = Kind.crowded(entry.action());
      current = windows.get(kind);
    }
    if (current == null) {
      current = windows.putIfAbsent(kind, new Window(entry, System.nanoTime(), kind.isCrowded()));
      if (current == null) {
        audit.recordAlone(storage, entry);
        return;
      }
    }
    current.repeated.incrementAndGet();
  }

  /** How many kinds have an open window now. */
  int openWindows() {
    return windows.size();
  }

  /** Records the counts of windows that ended (all of them when {@code all}); returns when they are stored. */
  public Future<Void> flush(boolean all) {
    long now = System.nanoTime();
    List<Future<Void>> writes = new ArrayList<>();
    windows.forEach((kind, window) -> {
      if (!all && now - window.startedNanos < windowNanos) return;
      if (!windows.remove(kind, window)) return;
      long repeated = window.repeated.get();
      if (repeated == 0) return;
      AuditLog.Entry first = window.first;
      long seconds = windowNanos / 1_000_000_000L;
      if (window.crowded) {
        // Failures of every tenant, actor and source: process-wide, and not "like" the first one.
        writes.add(audit.recordAlone(storage, new AuditLog.Entry(null, "various", first.action(), null,
            first.outcome(), null, new JsonObject().put("reason", "too many different failures at once")
                .put("repeated", repeated).put("windowSeconds", seconds))));
        return;
      }
      JsonObject details = first.details() == null ? new JsonObject() : first.details().copy();
      details.put("repeated", repeated).put("windowSeconds", seconds);
      writes.add(audit.recordAlone(storage, new AuditLog.Entry(first.tenantId(), first.actor(), first.action(),
          first.target(), first.outcome(), first.source(), details)));
    });
    return Future.all(writes).mapEmpty();
  }

  /** Stops the timer and records what is still counted. */
  public Future<Void> close() {
    vertx.cancelTimer(timerId);
    return flush(true);
  }

}
