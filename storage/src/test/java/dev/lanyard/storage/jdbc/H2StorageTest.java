package dev.lanyard.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.storage.Storage;
import dev.lanyard.storage.StorageConfig;
import dev.lanyard.storage.StorageConformanceTest;
import dev.lanyard.storage.model.Tenant;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The conformance suite on the embedded H2 file database, a new file for every test. */
class H2StorageTest extends StorageConformanceTest {
  @TempDir
  Path dir;
  private int count;

  @Override
  protected Storage openEmpty(Vertx vertx) {
    return JdbcStorage.open(vertx, StorageConfig.h2File(dir.resolve("db" + count++)));
  }

  @Test
  void dataSurvivesReopeningTheFile(Vertx vertx) {
    Path data = dir.resolve("reopen");
    Tenant t = new Tenant("a", "A", Instant.parse("2025-01-01T00:00:00Z"));
    try (Storage first = JdbcStorage.open(vertx, StorageConfig.h2File(data))) {
      first.transactionBlocking(x -> {
        x.tenants().create(t);
        return null;
      });
    }
    assertThat(Files.exists(data.resolve("lanyard.mv.db"))).isTrue();
    try (Storage again = JdbcStorage.open(vertx, StorageConfig.h2File(data))) {
      assertThat(again.transactionBlocking((dev.lanyard.storage.StoreSession x) -> x.tenants().find("a"))).contains(t);
      assertThat(again.databaseName()).startsWith("H2");
    }
  }
}
