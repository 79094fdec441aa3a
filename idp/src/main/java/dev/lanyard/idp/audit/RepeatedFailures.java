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
 * <p>So that fields a caller makes up (a client id, a username) cannot open windows without end, one source
 * address has at most {@value #MAX_KINDS_PER_SOURCE} kinds open at once; beyond that, its new kinds' failures are
 * counted together, one kind per action and source, recorded as one event with the count. So that many addresses
 * cannot either, at most {@value #MAX_KINDS} kinds are open at once; beyond that, a new kind's failures are counted
 * with every other failure of the same action, whatever its tenant and source, and that count is recorded as a
 * process-wide event. Memory and rows per window are bounded either way. Callers keep made-up values out of the
 * tenant: a failure whose tenant is not known to exist is recorded with none.
 */
public final class RepeatedFailures {
  /** Beyond this many distinct kinds at once (a guesser from many addresses), failures share one kind per action. */
  static final int MAX_KINDS = 10_000;
  /** Beyond this many distinct kinds from one address at once (made-up client ids), its failures share one kind. */
  static final int MAX_KINDS_PER_SOURCE = 32;

  private final Storage storage;
  private final AuditLog audit;
  private final long windowNanos;
  private final int maxKinds;
  private final int maxKindsPerSource;
  private final Map<Kind, Window> windows = new ConcurrentHashMap<>();
  /** Open windows of kinds of each source ("" for none); a source is here only while it has some. */
  private final Map<String, Integer> kindsBySource = new ConcurrentHashMap<>();
  private final Vertx vertx;
  private final long timerId;

  /** Which failures a kind stands for: those alike, a source's beyond its share, or an action's beyond the cap. */
  private enum Scope { ALIKE, SOURCE, ACTION }

  /**
   * What makes two failures alike; a source's crowded kind has only the action and the source, a process-wide one
   * only the action. One small object per failure.
   */
  private record Kind(Scope scope, String tenantId, String actor, String action, String target, String outcome,
      String source, String reason) {
    static Kind of(AuditLog.Entry e) {
      return new Kind(Scope.ALIKE, e.tenantId(), e.actor(), e.action(), e.target(), e.outcome(), e.source(),
          e.details() == null ? null : e.details().getString("reason"));
    }

    static Kind crowdedSource(String action, String source) {
      return new Kind(Scope.SOURCE, null, null, action, null, null, source, null);
    }

    static Kind crowded(String action) {
      return new Kind(Scope.ACTION, null, null, action, null, null, null, null);
    }

    /** The key of {@link #kindsBySource}. */
    String sourceKey() {
      return source == null ? "" : source;
    }
  }

  private static final class Window {
    final AuditLog.Entry first;
    final long startedNanos;
    final AtomicLong repeated = new AtomicLong();

    Window(AuditLog.Entry first, long startedNanos) {
      this.first = first;
      this.startedNanos = startedNanos;
    }
  }

  public RepeatedFailures(Vertx vertx, Storage storage, AuditLog audit, Duration window) {
    this(vertx, storage, audit, window, MAX_KINDS, MAX_KINDS_PER_SOURCE);
  }

  RepeatedFailures(Vertx vertx, Storage storage, AuditLog audit, Duration window, int maxKinds,
      int maxKindsPerSource) {
    this.vertx = vertx;
    this.storage = storage;
    this.audit = audit;
    this.windowNanos = window.toNanos();
    this.maxKinds = maxKinds;
    this.maxKindsPerSource = maxKindsPerSource;
    this.timerId = vertx.setPeriodic(Math.max(1, window.toMillis() / 2), id -> flush(false));
  }

  /**
   * Records {@code entry}, or counts it when one like it was recorded within the window. Cheap when it counts:
   * no storage, no JSON, one small key object.
   */
  public void record(AuditLog.Entry entry) {
    Kind kind = Kind.of(entry);
    Window current = windows.get(kind);
    if (current == null) {
      if (windows.size() >= maxKinds) {
        kind = Kind.crowded(entry.action());
      } else if (kindsBySource.getOrDefault(kind.sourceKey(), 0) >= maxKindsPerSource) {
        kind = Kind.crowdedSource(entry.action(), entry.source());
      }
      current = windows.get(kind);
    }
    if (current == null) {
      current = windows.putIfAbsent(kind, new Window(entry, System.nanoTime()));
      if (current == null) {
        // Checked before and counted after: racing event loops may open a few more than the share, never many.
        if (kind.scope() == Scope.ALIKE) kindsBySource.merge(kind.sourceKey(), 1, Integer::sum);
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
      if (kind.scope() == Scope.ALIKE) {
        kindsBySource.computeIfPresent(kind.sourceKey(), (source, open) -> open <= 1 ? null : open - 1);
      }
      long repeated = window.repeated.get();
      if (repeated == 0) return;
      AuditLog.Entry first = window.first;
      long seconds = windowNanos / 1_000_000_000L;
      if (kind.scope() == Scope.ACTION) {
        // Failures of every tenant, actor and source: process-wide, and not "like" the first one.
        writes.add(audit.recordAlone(storage, new AuditLog.Entry(null, "various", first.action(), null,
            first.outcome(), null, new JsonObject().put("reason", "too many different failures at once")
                .put("repeated", repeated).put("windowSeconds", seconds))));
        return;
      }
      if (kind.scope() == Scope.SOURCE) {
        // Failures of one source with every tenant, actor and reason: not "like" the first one.
        writes.add(audit.recordAlone(storage, new AuditLog.Entry(null, "various", first.action(), null,
            first.outcome(), first.source(), new JsonObject()
                .put("reason", "too many different failures from one source").put("repeated", repeated)
                .put("windowSeconds", seconds))));
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
