package dev.lanyard.idp.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.storage.Storage;
import dev.lanyard.storage.StorageConfig;
import dev.lanyard.storage.TimeOrderedIds;
import dev.lanyard.storage.jdbc.JdbcStorage;
import dev.lanyard.storage.model.AuditEvent;
import dev.lanyard.storage.model.AuditQuery;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stored audit events older than the retention are deleted, in batches, and younger ones are kept. */
class AuditRetentionTest {
  static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

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

  private void append(int count, Duration age) {
    storage.transactionBlocking(s -> {
      for (int i = 0; i < count; i++) {
        s.audit().append(new AuditEvent(TimeOrderedIds.next(), NOW.minus(age).minusSeconds(i), i % 2 == 0 ? "t1" : null,
            "cli", "test.event", null, AuditLog.SUCCESS, null, null));
      }
      return null;
    });
  }

  private long stored() {
    return storage.transactionBlocking(s -> s.audit().count(AuditQuery.all()));
  }

  @Test
  @DisplayName("25 events past 90 days and 5 younger: a sweep in batches of 10 deletes the 25, keeps the 5")
  void deletesOldEventsInBatches() {
    append(25, Duration.ofDays(91));
    append(5, Duration.ofDays(89));
    AuditRetention retention = new AuditRetention(storage, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofDays(90), 10);
    assertThat(retention.sweep().await()).isEqualTo(25);
    assertThat(stored()).isEqualTo(5);
    assertThat(retention.sweep().await()).isZero();
    assertThat(stored()).isEqualTo(5);
  }
}
