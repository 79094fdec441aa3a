package dev.lanyard.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.storage.InvalidInputException;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.StorageConformanceTest;
import dev.lanyard.storage.StoreSession;
import dev.lanyard.storage.model.Tenant;
import dev.lanyard.storage.model.User;
import dev.lanyard.storage.testing.PostgresServer;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
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

  /**
   * PostgreSQL refuses a NUL character in text, even to compare it (H2 stores it): the refusal is the caller's
   * input at fault, not a database fault, and the connection stays usable.
   */
  @Test
  void aNulCharacterIsInvalidInput() {
    Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
    tx((StoreSession x) -> {
      x.tenants().create(new Tenant("a", "A", t0));
      return null;
    });
    assertThat(failure(x -> x.users().findByUsername("a", "ada\u0000"))).isInstanceOf(InvalidInputException.class);
    assertThat(failure(x -> {
      x.users().create(new User("a", "u1", "ada", null, false, "Ada\u0000", true, null, t0, t0));
      return null;
    })).isInstanceOf(InvalidInputException.class);
    assertThat(failure(x -> x.tenants().find("a\u0000"))).isInstanceOf(InvalidInputException.class);
    assertThat(tx((StoreSession x) -> x.users().findByUsername("a", "ada"))).isEmpty();
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
