package dev.lanyard.storage.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.StorageConfig;
import dev.lanyard.storage.StorageException;
import dev.lanyard.storage.StorageUnavailableException;
import dev.lanyard.storage.StoreWork;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.lang.reflect.UndeclaredThrowableException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Storage} on JDBC: the embedded H2 file database or PostgreSQL, through a HikariCP pool, with the
 * schema migrated by Flyway on {@link #open} (see {@link Migrations}).
 *
 * <p>Each transaction runs on one pooled connection with autocommit off; it commits when the work returns
 * and rolls back when it throws. Instants are stored in UTC and truncated to microseconds. The isolation
 * level is the database's default (READ COMMITTED on both).
 *
 * <p>A failed statement aborts the whole transaction on PostgreSQL, so work should not catch a
 * {@link StorageException} and carry on writing in the same transaction: let it fail and start another.
 *
 * <p>Changes announced by a transaction reach {@link #onChange} listeners through a {@link ChangeFeed}:
 * PostgreSQL NOTIFY/LISTEN ({@link PostgresChangeFeed}), or in-process delivery on H2 ({@link LocalChangeFeed}).
 */
public final class JdbcStorage implements Storage {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcStorage.class);
  private static final String WORKER_POOL = "lanyard-db";
  /** PostgreSQL: the longest a pooled connection waits for an answer before it is given up as dead. */
  static final int QUERY_SOCKET_TIMEOUT_SECONDS = 30;

  private final HikariDataSource dataSource;
  private final WorkerExecutor executor;
  private final String databaseName;
  private final ChangeFeed changes;

  private JdbcStorage(HikariDataSource dataSource, WorkerExecutor executor, String databaseName, ChangeFeed changes) {
    this.dataSource = dataSource;
    this.executor = executor;
    this.databaseName = databaseName;
    this.changes = changes;
  }

  /**
   * Connects, migrates the schema to the latest version and returns the storage. Blocks: call it at
   * start-up or from a worker thread.
   *
   * @throws StorageUnavailableException when the database cannot be reached
   * @throws StorageException when it can be reached but not opened (e.g. H2 file in use by another process)
   *     or not migrated
   */
  public static JdbcStorage open(Vertx vertx, StorageConfig config) {
    long start = System.nanoTime();
    HikariDataSource dataSource = pool(config);
    try {
      String name;
      boolean postgres;
      try (Connection c = dataSource.getConnection()) {
        DatabaseMetaData meta = c.getMetaData();
        name = meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion();
        postgres = "PostgreSQL".equals(meta.getDatabaseProductName());
      }
      long connected = System.nanoTime();
      boolean migrated = Migrations.migrate(postgres ? migrationSource(config) : dataSource);
      LOG.debug("connected in {} ms, {} in {} ms", (connected - start) / 1_000_000,
          migrated ? "migrated" : "schema checked", (System.nanoTime() - connected) / 1_000_000);
      ChangeFeed feed = postgres ? PostgresChangeFeed.start(config) : new LocalChangeFeed();
      WorkerExecutor executor = vertx.createSharedWorkerExecutor(WORKER_POOL, config.maxPoolSize());
      JdbcStorage storage = new JdbcStorage(dataSource, executor, name, feed);
      LOG.info("Storage {} ready in {} ms: {}", config.jdbcUrl(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), name);
      return storage;
    } catch (SQLException e) {
      dataSource.close();
      throw SqlErrors.map(e, "opening " + config.jdbcUrl());
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    }
  }

  /**
   * Connections for PostgreSQL's migrations, outside the pool: the pool's socket timeout would cut off a
   * migration that rewrites a large table.
   */
  private static DataSource migrationSource(StorageConfig config) {
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setURL(config.jdbcUrl());
    source.setUser(config.username());
    source.setPassword(config.password());
    return source;
  }

  private static HikariDataSource pool(StorageConfig config) {
    HikariConfig hc = new HikariConfig();
    hc.setPoolName("lanyard-db");
    hc.setJdbcUrl(config.jdbcUrl());
    hc.setUsername(config.username());
    hc.setPassword(config.password());
    hc.setMaximumPoolSize(config.maxPoolSize());
    hc.setMinimumIdle(Math.min(2, config.maxPoolSize()));
    hc.setAutoCommit(false);
    hc.setConnectionTimeout(10_000);
    hc.setInitializationFailTimeout(1); // fail open() at once when the database is unreachable
    if (config.jdbcUrl().startsWith("jdbc:postgresql:")) {
      // A query on a connection that went silently dead (host down, network cut) fails after this long
      // instead of holding its worker until the kernel gives up on the socket (many minutes).
      hc.addDataSourceProperty("socketTimeout", String.valueOf(QUERY_SOCKET_TIMEOUT_SECONDS));
      hc.addDataSourceProperty("tcpKeepAlive", "true");
    }
    try {
      return new HikariDataSource(hc);
    } catch (HikariPool.PoolInitializationException e) {
      if (e.getCause() instanceof SQLException sql) {
        throw SqlErrors.map(sql, "connecting to " + config.jdbcUrl());
      }
      throw new StorageUnavailableException("cannot connect to " + config.jdbcUrl() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public <T> Future<T> transaction(StoreWork<T> work) {
    Context context = Vertx.currentContext();
    return executor.executeBlocking(() -> run(work), false).compose(done -> {
      if (done.confirmed().isDone()) {
        return Future.succeededFuture(done.result());
      }
      Future<Void> confirmed = context == null ? Future.fromCompletionStage(done.confirmed())
          : Future.fromCompletionStage(done.confirmed(), context);
      return confirmed.map(done.result());
    });
  }

  /**
   * {@inheritDoc}
   *
   * <p>A checked exception of the work (other than a database fault) comes out wrapped in an
   * {@link UndeclaredThrowableException}.
   */
  @Override
  public <T> T transactionBlocking(StoreWork<T> work) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("transactionBlocking called on an event loop thread: use transaction()");
    }
    try {
      Committed<T> done = run(work);
      done.confirmed().join();
      return done.result();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new UndeclaredThrowableException(e);
    }
  }

  /**
   * What a committed transaction returned, and when the other processes sharing the database have its changes
   * ({@link ChangeFeed#afterCommit}): a transaction's future completes only then, so a revocation answered to
   * the caller is refused by every replica's next review.
   */
  private record Committed<T>(T result, CompletableFuture<Void> confirmed) {
  }

  /** One transaction; rethrows what the work threw, SQLExceptions mapped to StorageExceptions. */
  private <T> Committed<T> run(StoreWork<T> work) throws Exception {
    Connection c;
    try {
      c = dataSource.getConnection();
    } catch (SQLException e) {
      throw SqlErrors.map(e, "getting a connection");
    }
    JdbcSession session = new JdbcSession(c);
    T result;
    ChangeFeed.Confirmation confirmation = null;
    try (c) {
      if (c.getAutoCommit()) {
        c.setAutoCommit(false);
      }
      try {
        result = work.run(session);
        if (!session.changes().isEmpty()) {
          confirmation = changes.beforeCommit(c, session.changes());
        }
        c.commit();
      } catch (Throwable t) {
        if (confirmation != null) {
          changes.abandon(confirmation);
        }
        try {
          c.rollback();
        } catch (SQLException r) {
          t.addSuppressed(r);
        }
        if (t instanceof SQLException sql) {
          throw SqlErrors.map(sql, "running a transaction");
        }
        throw t;
      }
    } catch (SQLException e) { // from setAutoCommit or close
      throw SqlErrors.map(e, "running a transaction");
    }
    return new Committed<>(result, changes.afterCommit(session.changes(), confirmation));
  }

  @Override
  public boolean changesCurrent() {
    return changes.current();
  }

  @Override
  public void onChange(Consumer<Change> listener) {
    changes.subscribe(listener);
  }

  /** {@code SELECT 1} on a pooled connection; any failure, a full pool included, is StorageUnavailableException. */
  @Override
  public Future<Void> ping() {
    return executor.executeBlocking(() -> {
      try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
        try {
          st.execute("SELECT 1");
        } finally {
          c.rollback();
        }
        return null;
      } catch (SQLException e) {
        throw new StorageUnavailableException("database did not answer: " + e.getMessage(), e);
      }
    }, false);
  }

  @Override
  public String databaseName() {
    return databaseName;
  }

  @Override
  public void close() {
    changes.close();
    executor.close();
    dataSource.close();
  }
}
