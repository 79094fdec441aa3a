package dev.lanyard.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.storage.Storage;
import dev.lanyard.storage.StorageConformanceTest;
import dev.lanyard.storage.StoreSession;
import dev.lanyard.storage.testing.PostgresServer;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
  void migrationNineGivesExistingClientsAndClustersTheirIdAsUid() throws Exception {
    try (PostgresServer.Database db = PostgresServer.get().createDatabase();
        com.zaxxer.hikari.HikariDataSource ds = new com.zaxxer.hikari.HikariDataSource()) {
      ds.setJdbcUrl(db.jdbcUrl());
      ds.setUsername(db.config().username());
      ds.setPassword(db.config().password());
      ds.setAutoCommit(false);
      MigrationsTest.existingRowsTakeTheirIdAsUid(ds);
    }
  }

  @Test
  void reportsPostgres() {
    assertThat(s.databaseName()).startsWith("PostgreSQL");
  }

  /** The multi-replica revocation path: a change committed by one process reaches every other one. */
  @Test
  void aChangeCommittedThroughOneStorageReachesTheListenersOfAnother(Vertx vertx) {
    try (Storage replica = JdbcStorage.open(vertx, databases.get(0).config(2))) {
      Changes onReplica = new Changes(replica);
      Changes here = new Changes(s);
      tx((StoreSession x) -> {
        x.notifyChange("token", "a/t1");
        return null;
      });
      onReplica.awaitChange(new Storage.Change("token", "a/t1"));
      here.awaitChange(new Storage.Change("token", "a/t1"));
      await(replica.transaction((StoreSession x) -> {
        x.notifyChange("principal", "a/u1");
        return null;
      }));
      here.awaitChange(new Storage.Change("principal", "a/u1"));
    }
  }

  @Test
  void theFeedReconnectsAfterLosingItsConnectionAndSaysResync() throws Exception {
    Changes changes = new Changes(s);
    PostgresServer server = PostgresServer.get();
    try (Connection admin = DriverManager.getConnection(server.adminUrl(), server.user(), server.password());
        PreparedStatement ps = admin.prepareStatement("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            + " WHERE datname = ? AND application_name = ?")) {
      ps.setString(1, databases.get(0).name());
      ps.setString(2, PostgresChangeFeed.APPLICATION_NAME);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
      }
    }
    changes.awaitChange(Storage.Change.RESYNC);
    tx((StoreSession x) -> {
      x.notifyChange("keys", "a");
      return null;
    });
    changes.awaitChange(new Storage.Change("keys", "a"));
  }
}
