package dev.lanyard.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.storage.Storage;
import dev.lanyard.storage.StorageConformanceTest;
import dev.lanyard.storage.testing.PostgresServer;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite on a real PostgreSQL (see {@link PostgresServer}), a new database for every test.
 * Fails, rather than skips, when no PostgreSQL is available.
 */
class PostgresStorageTest extends StorageConformanceTest {
  private final List<PostgresServer.Database> databases = new ArrayList<>();

  @Override
  protected Storage openEmpty(Vertx vertx) {
    PostgresServer.Database db = PostgresServer.get().createDatabase();
    databases.add(db);
    return JdbcStorage.open(vertx, db.config());
  }

  @Override
  protected void afterClose() {
    databases.forEach(PostgresServer.Database::close);
    databases.clear();
  }

  @Test
  void reportsPostgres() {
    assertThat(s.databaseName()).startsWith("PostgreSQL");
  }
}
