package dev.lanyard.idp.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.storage.Storage;
import dev.lanyard.storage.StorageConfig;
import dev.lanyard.storage.jdbc.JdbcStorage;
import dev.lanyard.storage.model.AuditEvent;
import dev.lanyard.storage.model.AuditQuery;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failures coalesce per kind and window, and made-up fields cannot grow the windows or the rows without bound. */
class RepeatedFailuresTest {
  @TempDir
  Path dir;

  Vertx vertx;
  Storage storage;

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    storage = JdbcStorage.open(vertx, StorageConfig.h2File(dir));
  }

  @AfterEach
  void close() {
    storage.close();
    vertx.close().await();
  }

  /** A window that does not end during the test: counts are written by close(). */
  private RepeatedFailures failures(int maxKinds) {
    return new RepeatedFailures(vertx, storage, new AuditLog(Clock.systemUTC()), Duration.ofHours(1), maxKinds,
        RepeatedFailures.MAX_KINDS_PER_SOURCE);
  }

  private List<AuditEvent> events(String action) {
    return storage.transactionBlocking(s -> s.audit().query(new AuditQuery(null, null, action, null, null), 0, 10_000));
  }

  private static AuditLog.Entry failure(String tenant, String source) {
    return new AuditLog.Entry(tenant, "anonymous", "test.failure", null, AuditLog.FAILURE, source,
        new JsonObject().put("reason", "made up"));
  }

  /** First rows are written in the background; wait until storage has them. */
  private List<AuditEvent> awaitEvents(String action, int count) throws InterruptedException {
    for (int i = 0; i < 100 && events(action).size() < count; i++) Thread.sleep(50);
    return events(action);
  }

  @Test
  @DisplayName("the same failure 100 times: one row at once, one count when the window ends")
  void repeatsAreCounted() throws Exception {
    RepeatedFailures failures = failures(RepeatedFailures.MAX_KINDS);
    for (int i = 0; i < 100; i++) failures.record(failure("t1", "10.0.0.1"));
    assertThat(failures.openWindows()).isEqualTo(1);
    assertThat(awaitEvents("test.failure", 1)).hasSize(1);
    failures.close().await();
    List<AuditEvent> rows = events("test.failure");
    assertThat(rows).hasSize(2);
    assertThat(new JsonObject(rows.get(0).details()).getLong("repeated")).isEqualTo(99);
  }

  @Test
  @DisplayName("1,000 made-up tenants and addresses: at most maxKinds windows; the rest share one, counted process-wide")
  void madeUpKindsAreBounded() throws Exception {
    RepeatedFailures failures = failures(10);
    failures.record(failure("t1", "10.0.0.1"));
    for (int i = 0; i < 1_000; i++) {
      failures.record(failure("made-up-" + i, "192.0.2." + i));
      assertThat(failures.openWindows()).isLessThanOrEqualTo(11); // 10 kinds, plus the crowd of this action
    }
    failures.record(failure("t1", "10.0.0.1")); // an open kind keeps its own window
    assertThat(awaitEvents("test.failure", 11)).hasSize(11);
    failures.close().await();
    List<AuditEvent> rows = events("test.failure");
    assertThat(rows).hasSize(13); // 11 first rows, the crowd's count, t1's count
    AuditEvent crowd = rows.stream().filter(e -> "various".equals(e.actor())).findFirst().orElseThrow();
    assertThat(crowd.tenantId()).isNull();
    assertThat(crowd.source()).isNull();
    assertThat(new JsonObject(crowd.details()).getLong("repeated")).isEqualTo(1_000 - 9 - 1);
    AuditEvent t1 = rows.stream().filter(e -> "t1".equals(e.tenantId()) && e.details().contains("repeated"))
        .findFirst().orElseThrow();
    assertThat(new JsonObject(t1.details()).getLong("repeated")).isEqualTo(1);
  }

  @Test
  @DisplayName("1,000 made-up client ids from one address: its share of windows, the rest counted as one per source")
  void oneSourceGetsItsShare() throws Exception {
    RepeatedFailures failures = failures(RepeatedFailures.MAX_KINDS);
    int share = RepeatedFailures.MAX_KINDS_PER_SOURCE;
    for (int i = 0; i < 1_000; i++) {
      failures.record(new AuditLog.Entry("t1", "client:guess-" + i, "client.auth.failure", null, AuditLog.FAILURE,
          "192.0.2.9", new JsonObject().put("reason", "unknown client")));
      assertThat(failures.openWindows()).isLessThanOrEqualTo(share + 1);
    }
    // Another address is not crowded out by this one.
    failures.record(new AuditLog.Entry("t1", "client:kubernetes", "client.auth.failure", null, AuditLog.FAILURE,
        "198.51.100.1", new JsonObject().put("reason", "wrong client secret")));
    assertThat(awaitEvents("client.auth.failure", share + 2)).hasSize(share + 2);
    failures.close().await();
    List<AuditEvent> rows = events("client.auth.failure");
    assertThat(rows).hasSize(share + 3); // share + 1 first rows from the address, the other's, the address's count
    AuditEvent crowd = rows.stream().filter(e -> "various".equals(e.actor())).findFirst().orElseThrow();
    assertThat(crowd.tenantId()).isNull();
    assertThat(crowd.source()).isEqualTo("192.0.2.9");
    assertThat(new JsonObject(crowd.details()).getLong("repeated")).isEqualTo(1_000 - share - 1);
    assertThat(rows).anySatisfy(e -> assertThat(e.source()).isEqualTo("198.51.100.1"));
  }
}
