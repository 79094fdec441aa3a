package dev.lanyard.idp.stats;

import dev.lanyard.storage.model.AuditEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What this process has seen in the last {@value #MINUTES} minutes, per tenant and per minute: TokenReviews
 * allowed and denied, interactive logins succeeded and failed. Held in memory only (a restart starts from zero;
 * each replica counts its own traffic), for the console's charts; the audit log is the durable record.
 *
 * <p>Counting costs one map lookup and one atomic increment, cheap enough for the TokenReview hot path. At most
 * {@value #MAX_TENANTS} tenants are tracked (about 35 KB each); beyond that further tenants are not counted,
 * so requests naming made-up tenants cannot grow memory.
 */
public final class Activity {
  /** One day of one-minute slots. */
  public static final int MINUTES = 1440;
  static final int MAX_TENANTS = 256;

  /** The counted series. */
  public enum Kind {
    REVIEW_ALLOWED, REVIEW_DENIED, LOGIN_SUCCEEDED, LOGIN_FAILED
  }

  private final Clock clock;
  private final Map<String, TenantSlots> tenants = new ConcurrentHashMap<>();

  public Activity(Clock clock) {
    this.clock = clock;
  }

  /** Counts one event of {@code kind} for {@code tenantId} now. */
  public void count(String tenantId, Kind kind) {
    if (tenantId == null) return;
    TenantSlots slots = tenants.get(tenantId);
    if (slots == null) {
      if (tenants.size() >= MAX_TENANTS) return;
      slots = tenants.computeIfAbsent(tenantId, t -> new TenantSlots());
    }
    slots.add(kind, minuteNow());
  }

  /** One TokenReview's outcome. */
  public void review(String tenantId, boolean allowed) {
    count(tenantId, allowed ? Kind.REVIEW_ALLOWED : Kind.REVIEW_DENIED);
  }

  /**
   * An {@link dev.lanyard.idp.audit.AuditLog} observer: counts login events ({@code login} from the login page,
   * {@code admin.login} from the admin API, and any other {@code *.login}) by outcome.
   */
  public void onAudit(AuditEvent event) {
    String action = event.action();
    if (action == null || !(action.equals("login") || action.endsWith(".login"))) return;
    count(event.tenantId(), "success".equals(event.outcome()) ? Kind.LOGIN_SUCCEEDED : Kind.LOGIN_FAILED);
  }

  /**
   * Counts for the last {@code window} (at most a day) in buckets of {@code bucket}, oldest first, summed over
   * {@code tenantIds}; the last bucket ends with the current minute.
   */
  public Series series(Collection<String> tenantIds, Duration window, Duration bucket) {
    int minutes = (int) Math.min(MINUTES, Math.max(1, window.toMinutes()));
    int per = (int) Math.max(1, Math.min(minutes, bucket.toMinutes()));
    int buckets = (minutes + per - 1) / per;
    long now = minuteNow();
    long first = now - (long) buckets * per + 1;
    long[][] counts = new long[Kind.values().length][buckets];
    for (String tenant : tenantIds) {
      TenantSlots slots = tenants.get(tenant);
      if (slots == null) continue;
      for (long m = Math.max(first, now - MINUTES + 1); m <= now; m++) {
        int b = (int) ((m - first) / per);
        for (Kind k : Kind.values()) counts[k.ordinal()][b] += slots.get(k, m);
      }
    }
    List<Long> starts = new ArrayList<>(buckets);
    for (int b = 0; b < buckets; b++) starts.add((first + (long) b * per) * 60);
    return new Series(per * 60, starts, counts);
  }

  /**
   * Counts per bucket.
   *
   * @param bucketSeconds the length of each bucket
   * @param starts each bucket's start, epoch seconds
   */
  public record Series(int bucketSeconds, List<Long> starts, long[][] counts) {
    public long[] of(Kind kind) {
      return counts[kind.ordinal()];
    }

    public long total(Kind kind) {
      long sum = 0;
      for (long c : of(kind)) sum += c;
      return sum;
    }
  }

  private long minuteNow() {
    return clock.millis() / 60_000;
  }

  /** A ring of one-minute slots; each slot remembers which minute it holds. */
  private static final class TenantSlots {
    private final AtomicLongArray minuteOfSlot = new AtomicLongArray(MINUTES);
    private final AtomicIntegerArray[] counts = new AtomicIntegerArray[Kind.values().length];

    TenantSlots() {
      for (int i = 0; i < counts.length; i++) counts[i] = new AtomicIntegerArray(MINUTES);
      for (int i = 0; i < MINUTES; i++) minuteOfSlot.set(i, -1);
    }

    void add(Kind kind, long minute) {
      int slot = (int) (minute % MINUTES);
      if (minuteOfSlot.get(slot) != minute) roll(slot, minute);
      counts[kind.ordinal()].incrementAndGet(slot);
    }

    /** Once a minute per slot: zero it, then mark it, so a concurrent add sees either the old minute or zeros. */
    private synchronized void roll(int slot, long minute) {
      if (minuteOfSlot.get(slot) >= minute) return;
      for (AtomicIntegerArray c : counts) c.set(slot, 0);
      minuteOfSlot.set(slot, minute);
    }

    long get(Kind kind, long minute) {
      int slot = (int) (minute % MINUTES);
      return minuteOfSlot.get(slot) == minute ? counts[kind.ordinal()].get(slot) : 0;
    }
  }
}
