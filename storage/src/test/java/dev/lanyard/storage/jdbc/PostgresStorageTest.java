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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

  /**
   * Revocation on the next review, on every replica: a transaction's future completes only once the other
   * processes' listeners have its changes, however slow they are, for both ways of running a transaction.
   */
  @Test
  void aTransactionCompletesOnlyOnceTheOtherProcessesHaveItsChanges(Vertx vertx) {
    try (Storage replica = JdbcStorage.open(vertx, databases.get(0).config(2))) {
      Set<String> heard = ConcurrentHashMap.newKeySet();
      replica.onChange(c -> {
        if (c.topic().equals("token")) {
          sleep(150); // a slow listener (on a busy machine): the commit must wait for it
          heard.add(c.payload());
        }
      });
      for (int i = 0; i < 3; i++) {
        String payload = "a/t" + i;
        tx((StoreSession x) -> {
          x.notifyChange("token", payload);
          return null;
        });
        assertThat(heard).as("the other process has the change when the transaction returns").contains(payload);
        String blocking = "a/b" + i;
        s.transactionBlocking((StoreSession x) -> {
          x.notifyChange("token", blocking);
          return null;
        });
        assertThat(heard).contains(blocking);
      }
    }
  }

  /**
   * A process that cannot answer (here: its feed thread stuck in a listener) holds a commit up for no longer than
   * {@link PostgresChangeFeed#CONFIRM_TIMEOUT_MILLIS}, and by then it no longer counts as current, so its caches
   * stop answering; once it is back it says RESYNC before it is current again.
   */
  @Test
  void aSilentProcessIsWaitedForOnlyUntilItsLeaseHasRunOut(Vertx vertx) throws Exception {
    try (Storage replica = JdbcStorage.open(vertx, databases.get(0).config(2))) {
      CountDownLatch stuck = new CountDownLatch(1);
      replica.onChange(c -> {
        if (c.topic().equals("stall")) {
          awaitQuietly(stuck);
        }
      });
      Changes changes = new Changes(replica);
      assertThat(replica.changesCurrent()).isTrue();
      long t0 = System.nanoTime();
      tx((StoreSession x) -> {
        x.notifyChange("stall", "1");
        return null;
      });
      long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertThat(waited).isBetween(PostgresChangeFeed.CONFIRM_TIMEOUT_MILLIS - 100,
          PostgresChangeFeed.CONFIRM_TIMEOUT_MILLIS + 5_000);
      assertThat(replica.changesCurrent()).as("the stuck process's lease").isFalse();
      stuck.countDown();
      List<Storage.Change> before = changes.awaitChange(Storage.Change.RESYNC);
      assertThat(before).contains(new Storage.Change("stall", "1"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!replica.changesCurrent()) {
        assertThat(System.nanoTime()).as("current again after its RESYNC").isLessThan(deadline);
        Thread.sleep(20);
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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
