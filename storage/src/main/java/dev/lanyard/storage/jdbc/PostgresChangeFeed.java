package dev.lanyard.storage.jdbc;

import dev.lanyard.storage.Storage.Change;
import dev.lanyard.storage.StorageConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change feed on PostgreSQL, shared by every Lanyard process on the database: a transaction sends its
 * changes with {@code pg_notify} just before it commits (PostgreSQL delivers them on commit and drops them on
 * rollback), and every process, this one included, receives them on one dedicated connection outside the pool
 * that {@code LISTEN}s on {@value #CHANNEL}.
 *
 * <p>A daemon thread waits for notifications ({@link PGConnection#getNotifications(int)} with a timeout) and
 * runs the listeners. When the connection breaks it reconnects with exponential backoff and then sends
 * {@link Change#RESYNC}, since changes committed meanwhile were missed. An idle connection is checked with
 * {@code SELECT 1} now and then, so a silently dead one is noticed too.
 */
final class PostgresChangeFeed extends ChangeFeed {
  static final String CHANNEL = "lanyard_changes";
  /** The listening connection's application_name, to tell it apart in pg_stat_activity. */
  static final String APPLICATION_NAME = "lanyard-changes";
  private static final Logger LOG = LoggerFactory.getLogger(PostgresChangeFeed.class);
  private static final int POLL_MILLIS = 1_000;
  private static final long CHECK_IDLE_NANOS = TimeUnit.SECONDS.toNanos(15);
  private static final long FIRST_BACKOFF_MILLIS = 100;
  private static final long MAX_BACKOFF_MILLIS = 5_000;

  private final StorageConfig config;
  private final Thread thread;
  private volatile Connection connection;
  private volatile boolean closed;

  private PostgresChangeFeed(StorageConfig config, Connection first) {
    this.config = config;
    this.connection = first;
    this.thread = new Thread(this::run, "lanyard-changes");
    thread.setDaemon(true);
  }

  /** Connects and LISTENs before returning, so no change committed after {@code open} returns is missed. */
  static PostgresChangeFeed start(StorageConfig config) throws SQLException {
    PostgresChangeFeed feed = new PostgresChangeFeed(config, listen(config));
    feed.thread.start();
    return feed;
  }

  @Override
  void beforeCommit(Connection c, List<Change> changes) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
      for (Change change : changes) {
        ps.setString(1, CHANNEL);
        ps.setString(2, encode(change));
        ps.execute();
      }
    }
  }

  private static Connection listen(StorageConfig config) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", config.username());
    props.setProperty("password", config.password());
    props.setProperty("ApplicationName", APPLICATION_NAME);
    props.setProperty("tcpKeepAlive", "true");
    props.setProperty("connectTimeout", "10");
    Connection c = DriverManager.getConnection(config.jdbcUrl(), props);
    try (Statement s = c.createStatement()) {
      c.setAutoCommit(true); // LISTEN takes effect on commit
      s.execute("LISTEN " + CHANNEL);
      return c;
    } catch (SQLException e) {
      c.close();
      throw e;
    }
  }

  private void run() {
    long backoff = FIRST_BACKOFF_MILLIS;
    long lastHeard = System.nanoTime();
    while (!closed) {
      try {
        Connection c = connection;
        if (c == null) {
          c = listen(config);
          connection = c;
          if (closed) {
            break;
          }
          LOG.info("change feed reconnected; listeners resynchronise");
          backoff = FIRST_BACKOFF_MILLIS;
          lastHeard = System.nanoTime();
          deliver(Change.RESYNC);
        }
        PGNotification[] notifications = c.unwrap(PGConnection.class).getNotifications(POLL_MILLIS);
        if (notifications != null && notifications.length > 0) {
          lastHeard = System.nanoTime();
          for (PGNotification n : notifications) {
            deliver(decode(n.getParameter()));
          }
        } else if (System.nanoTime() - lastHeard > CHECK_IDLE_NANOS) {
          try (Statement s = c.createStatement()) {
            s.execute("SELECT 1");
          }
          lastHeard = System.nanoTime();
        }
      } catch (SQLException | RuntimeException e) {
        if (closed) {
          break;
        }
        LOG.warn("change feed lost its connection, reconnecting in {} ms: {}", backoff, e.toString());
        closeQuietly(connection);
        connection = null;
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException interrupted) {
          break; // only close() interrupts
        }
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
      }
    }
    closeQuietly(connection);
    connection = null;
  }

  /** Stops the thread: aborting the connection ends a wait for notifications at once. */
  @Override
  public void close() {
    closed = true;
    Connection c = connection;
    if (c != null) {
      try {
        c.abort(Runnable::run);
      } catch (SQLException | RuntimeException e) {
        LOG.debug("aborting the change feed connection: {}", e.toString());
      }
    }
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException | RuntimeException e) {
        LOG.debug("closing the change feed connection: {}", e.toString());
      }
    }
  }
}
