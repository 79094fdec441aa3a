package dev.lanyard.idp.audit;

import dev.lanyard.storage.Storage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Audits failures that anyone can cause at request rate (token guessing, a caller without the webhook
 * credential, a cluster with a stale credential) without writing one row per request, which would let a
 * guesser fill the disk and slow everyone else's reviews. The first failure of a kind in each window is
 * recorded at once; the ones like it that follow within the window are counted, and the count is recorded as
 * one more event (details {@code repeated}) when the window ends. "Like it": same tenant, actor, action,
 * target, outcome, source and {@code details.reason}.
 */
public final class RepeatedFailures {
  /** Beyond this many distinct kinds at once (a guesser from many addresses), failures share one kind per action. */
  static final int MAX_KINDS = 10_000;

  private final Storage storage;
  private final AuditLog audit;
  private final long windowNanos;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();
  private final Vertx vertx;
  private final long timerId;

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
    this.vertx = vertx;
    this.storage = storage;
    this.audit = audit;
    this.windowNanos = window.toNanos();
    this.timerId = vertx.setPeriodic(Math.max(1, window.toMillis() / 2), id -> flush(false));
  }

  /** Records {@code entry}, or counts it when one like it was recorded within the window. */
  public void record(AuditLog.Entry entry) {
    String kind = kind(entry, windows.size() >= MAX_KINDS);
    long now = System.nanoTime();
    Window fresh = new Window(entry, now);
    Window current = windows.putIfAbsent(kind, fresh);
    if (current == null) {
      audit.recordAlone(storage, entry);
    } else {
      current.repeated.incrementAndGet();
    }
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
      JsonObject details = first.details() == null ? new JsonObject() : first.details().copy();
      details.put("repeated", repeated).put("windowSeconds", windowNanos / 1_000_000_000L);
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

  private static String kind(AuditLog.Entry e, boolean crowded) {
    if (crowded) return e.tenantId() + "\u0000" + e.action();
    String reason = e.details() == null ? null : e.details().getString("reason");
    return String.join("\u0000", Objects.toString(e.tenantId()), e.actor(), e.action(), Objects.toString(e.target()),
        e.outcome(), Objects.toString(e.source()), Objects.toString(reason));
  }
}
