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
import java.io.IOException;
import java.lang.reflect.UndeclaredThrowableException;
import java.math.BigInteger;
import java.net.JarURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Storage} on JDBC: the embedded H2 file database or PostgreSQL, through a HikariCP pool, with the
 * schema migrated by Flyway on {@link #open}.
 *
 * <p>Each transaction runs on one pooled connection with autocommit off; it commits when the work returns
 * and rolls back when it throws. Instants are stored in UTC and truncated to microseconds. The isolation
 * level is the database's default (READ COMMITTED on both).
 *
 * <p>A failed statement aborts the whole transaction on PostgreSQL, so work should not catch a
 * {@link StorageException} and carry on writing in the same transaction: let it fail and start another.
 */
public final class JdbcStorage implements Storage {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcStorage.class);
  private static final String WORKER_POOL = "lanyard-db";
  private static final String MIGRATIONS = "db/migration";
  private static final String HISTORY_TABLE = "flyway_schema_history";
  private static final Pattern VERSIONED = Pattern.compile("V(\\d+(?:[._]\\d+)*)__[^/]*\\.sql");

  private final HikariDataSource dataSource;
  private final WorkerExecutor executor;
  private final String databaseName;

  private JdbcStorage(HikariDataSource dataSource, WorkerExecutor executor, String databaseName) {
    this.dataSource = dataSource;
    this.executor = executor;
    this.databaseName = databaseName;
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
      try (Connection c = dataSource.getConnection()) {
        DatabaseMetaData meta = c.getMetaData();
        name = meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion();
      }
      boolean upToDate = migrationsApplied(dataSource);
      if (!upToDate) {
        migrate(dataSource);
      }
      WorkerExecutor executor = vertx.createSharedWorkerExecutor(WORKER_POOL, config.maxPoolSize());
      JdbcStorage storage = new JdbcStorage(dataSource, executor, name);
      LOG.info("Storage {} ready in {} ms{}: {}", config.jdbcUrl(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
          upToDate ? " (schema up to date)" : "", name);
      return storage;
    } catch (SQLException e) {
      dataSource.close();
      throw SqlErrors.map(e, "opening " + config.jdbcUrl());
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    }
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
    try {
      return new HikariDataSource(hc);
    } catch (HikariPool.PoolInitializationException e) {
      if (e.getCause() instanceof SQLException sql) {
        throw SqlErrors.map(sql, "connecting to " + config.jdbcUrl());
      }
      throw new StorageUnavailableException("cannot connect to " + config.jdbcUrl() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Flyway, kept lean for a fast start: no clean, no placeholder replacement, only the one classpath
   * location; validation on migrate stays on (it only checksums our own few scripts).
   */
  private static void migrate(HikariDataSource dataSource) {
    try {
      Flyway.configure(JdbcStorage.class.getClassLoader())
          .dataSource(dataSource)
          .locations("classpath:db/migration")
          .cleanDisabled(true)
          .placeholderReplacement(false)
          .load()
          .migrate();
    } catch (RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof SQLException sql && SqlErrors.isUnavailable(sql)) {
          throw new StorageUnavailableException("database unavailable while migrating: " + e.getMessage(), e);
        }
      }
      throw new StorageException("schema migration failed: " + e.getMessage(), e);
    }
  }

  /**
   * Whether every versioned migration bundled under {@value #MIGRATIONS} is already recorded as applied in
   * Flyway's history table, so that a restart can skip Flyway, whose own start-up (plugins, classpath scan,
   * validation) is most of a restart's storage open. Any doubt answers false and Flyway runs as usual: no
   * history table, a failed row, a migration not applied yet, or a bundled file other than a plain
   * {@code V<version>__<description>.sql} (repeatable, undo, callback, Java migration). What the fast path
   * gives up is Flyway's checksum validation of already-applied scripts on restarts without a new migration.
   */
  static boolean migrationsApplied(DataSource dataSource) {
    Set<List<BigInteger>> bundled;
    try {
      bundled = bundledMigrationVersions(JdbcStorage.class.getClassLoader());
    } catch (IOException | RuntimeException e) {
      LOG.debug("cannot list bundled migrations, running Flyway: {}", e.toString());
      return false;
    }
    if (bundled == null || bundled.isEmpty()) {
      return false;
    }
    Set<List<BigInteger>> applied = new HashSet<>();
    try (Connection c = dataSource.getConnection()) {
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT \"version\", \"success\" FROM \"" + HISTORY_TABLE + "\"")) {
        while (rs.next()) {
          if (!rs.getBoolean(2)) {
            return false; // a failed migration: Flyway must report it
          }
          String version = rs.getString(1);
          if (version != null) {
            applied.add(versionKey(version));
          }
        }
      } finally {
        c.rollback(); // read only; also clears PostgreSQL's aborted state when the table is missing
      }
    } catch (SQLException | RuntimeException e) {
      return false;
    }
    return applied.containsAll(bundled);
  }

  /** Versions of the {@code V*__*.sql} files under {@value #MIGRATIONS}; null when another kind is there. */
  private static Set<List<BigInteger>> bundledMigrationVersions(ClassLoader loader) throws IOException {
    Set<List<BigInteger>> versions = new HashSet<>();
    Enumeration<URL> roots = loader.getResources(MIGRATIONS);
    while (roots.hasMoreElements()) {
      URL root = roots.nextElement();
      List<String> names = new ArrayList<>();
      if ("jar".equals(root.getProtocol())) {
        JarURLConnection connection = (JarURLConnection) root.openConnection();
        connection.setUseCaches(false);
        try (JarFile jar = connection.getJarFile()) {
          for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
            JarEntry entry = e.nextElement();
            String name = entry.getName();
            if (!entry.isDirectory() && name.startsWith(MIGRATIONS + "/")) {
              names.add(name.substring(MIGRATIONS.length() + 1));
            }
          }
        }
      } else if ("file".equals(root.getProtocol())) {
        try (Stream<Path> files = Files.walk(Path.of(URI.create(root.toString())))) {
          files.filter(Files::isRegularFile).forEach(f -> names.add(f.getFileName().toString()));
        }
      } else {
        return null;
      }
      for (String name : names) {
        Matcher m = VERSIONED.matcher(name);
        if (!m.matches()) {
          return null;
        }
        versions.add(versionKey(m.group(1)));
      }
    }
    return versions;
  }

  /** Flyway's version order: dot- or underscore-separated numbers, so "1.01" equals "1_1" and "1.1". */
  private static List<BigInteger> versionKey(String version) {
    List<BigInteger> parts = new ArrayList<>();
    for (String part : version.split("[._]")) {
      parts.add(new BigInteger(part));
    }
    while (parts.size() > 1 && parts.get(parts.size() - 1).signum() == 0) {
      parts.remove(parts.size() - 1);
    }
    return parts;
  }

  @Override
  public <T> Future<T> transaction(StoreWork<T> work) {
    return executor.executeBlocking(() -> run(work), false);
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
      return run(work);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new UndeclaredThrowableException(e);
    }
  }

  /** One transaction; rethrows what the work threw, SQLExceptions mapped to StorageExceptions. */
  private <T> T run(StoreWork<T> work) throws Exception {
    Connection c;
    try {
      c = dataSource.getConnection();
    } catch (SQLException e) {
      throw SqlErrors.map(e, "getting a connection");
    }
    try (c) {
      if (c.getAutoCommit()) {
        c.setAutoCommit(false);
      }
      T result;
      try {
        result = work.run(new JdbcSession(c));
        c.commit();
      } catch (Throwable t) {
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
      return result;
    } catch (SQLException e) { // from setAutoCommit or close
      throw SqlErrors.map(e, "running a transaction");
    }
  }

  @Override
  public String databaseName() {
    return databaseName;
  }

  @Override
  public void close() {
    executor.close();
    dataSource.close();
  }
}
