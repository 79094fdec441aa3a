package dev.lanyard.idp.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.storage.model.AuditEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ActivityTest {
  final SteppedClock clock = new SteppedClock(Instant.parse("2026-01-01T10:00:30Z"));
  final Activity activity = new Activity(clock);

  @Test
  @DisplayName("counts land in the current minute's bucket; the last bucket is the current minute")
  void perMinuteBuckets() {
    activity.review("t", true);
    clock.advance(Duration.ofMinutes(2));
    activity.review("t", true);
    activity.review("t", false);
    Activity.Series s = activity.series(Set.of("t"), Duration.ofHours(1), Duration.ofMinutes(1));
    assertThat(s.starts()).hasSize(60);
    assertThat(s.starts().get(59)).isEqualTo(Instant.parse("2026-01-01T10:02:00Z").getEpochSecond());
    long[] allowed = s.of(Activity.Kind.REVIEW_ALLOWED);
    assertThat(allowed[59]).isEqualTo(1);
    assertThat(allowed[57]).isEqualTo(1);
    assertThat(s.total(Activity.Kind.REVIEW_DENIED)).isEqualTo(1);
  }

  @Test
  @DisplayName("a day later a slot is reused from zero: nothing older than a day is counted")
  void oldSlotsAreForgotten() {
    activity.review("t", true);
    clock.advance(Duration.ofDays(1));
    assertThat(activity.series(Set.of("t"), Duration.ofDays(1), Duration.ofMinutes(15)).total(Activity.Kind.REVIEW_ALLOWED)).isZero();
    activity.review("t", false);
    Activity.Series day = activity.series(Set.of("t"), Duration.ofDays(1), Duration.ofMinutes(15));
    assertThat(day.starts()).hasSize(96);
    assertThat(day.total(Activity.Kind.REVIEW_ALLOWED)).isZero();
    assertThat(day.total(Activity.Kind.REVIEW_DENIED)).isEqualTo(1);
  }

  @Test
  @DisplayName("login audit events count by outcome; other events and other tenants do not")
  void loginsFromAudit() {
    activity.onAudit(event("a", "login", "success"));
    activity.onAudit(event("a", "admin.login", "failure"));
    activity.onAudit(event("a", "token.create", "success"));
    activity.onAudit(event("b", "login", "failure"));
    Activity.Series s = activity.series(Set.of("a"), Duration.ofHours(1), Duration.ofMinutes(1));
    assertThat(s.total(Activity.Kind.LOGIN_SUCCEEDED)).isEqualTo(1);
    assertThat(s.total(Activity.Kind.LOGIN_FAILED)).isEqualTo(1);
    assertThat(activity.series(Set.of("a", "b"), Duration.ofHours(1), Duration.ofMinutes(1))
        .total(Activity.Kind.LOGIN_FAILED)).isEqualTo(2);
  }

  @Test
  @DisplayName("made-up tenant names cannot grow memory past the cap")
  void tenantCap() {
    for (int i = 0; i < Activity.MAX_TENANTS + 50; i++) activity.review("t" + i, false);
    Activity.Series s = activity.series(List.of("t0", "t" + (Activity.MAX_TENANTS + 10)), Duration.ofHours(1),
        Duration.ofMinutes(1));
    assertThat(s.total(Activity.Kind.REVIEW_DENIED)).isEqualTo(1);
  }

  @Test
  @DisplayName("concurrent counting loses nothing")
  void concurrent() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    for (int i = 0; i < 4; i++) pool.submit(() -> { for (int j = 0; j < 10_000; j++) activity.review("t", true); });
    pool.shutdown();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    assertThat(activity.series(Set.of("t"), Duration.ofHours(1), Duration.ofMinutes(1))
        .total(Activity.Kind.REVIEW_ALLOWED)).isEqualTo(40_000);
  }

  private AuditEvent event(String tenant, String action, String outcome) {
    return new AuditEvent("id", clock.instant(), tenant, "actor", action, null, outcome, null, null);
  }

  /** A clock at a chosen instant, moved by hand. */
  static final class SteppedClock extends java.time.Clock {
    private volatile Instant now;

    SteppedClock(Instant start) {
      now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
