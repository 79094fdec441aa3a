package dev.lanyard.storage.jdbc;

import dev.lanyard.storage.Storage.Change;
import dev.lanyard.storage.StorageConfig;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * <p><b>Confirmation.</b> A revocation must be refused by the next review on every replica, not a few
 * milliseconds later, so a committing process waits until the others have the change. Before committing it
 * lists the other processes' listening connections ({@code pg_stat_activity}, by {@value #APPLICATION_NAME})
 * and sends {@code sync:ID} after its changes; each process, once its listeners have the changes before it,
 * answers {@code ack:ID/PID}. The transaction's future completes when every listed process has answered.
 *
 * <p><b>Lease.</b> A process that cannot answer (its connection silently dead, its feed thread stalled) must not
 * keep answering from its caches either. Every second the feed thread sends {@code SELECT 1} and handles the
 * notifications received before its answer; PostgreSQL sends a listener every notification committed before
 * the statement ahead of the statement's answer. So once that is done the process has every change committed
 * before it sent the statement, and it stays {@link #current} for {@link #LEASE_NANOS} from then. A committing
 * process waits for a missing answer at most that long after its commit ({@link #CONFIRM_TIMEOUT_MILLIS}): by
 * then the silent process has either handled the change or stopped answering from its caches. After a lapse the
 * feed sends {@link Change#RESYNC} before it is current again, since changes may have passed it by; so it does
 * after a reconnect.
 */
final class PostgresChangeFeed extends ChangeFeed {
  static final String CHANNEL = "lanyard_changes";
  /** The listening connection's application_name, to tell it apart in pg_stat_activity. */
  static final String APPLICATION_NAME = "lanyard-changes";
  /** How long a process answers from its caches after its feed last proved itself complete. */
  static final long LEASE_NANOS = TimeUnit.SECONDS.toNanos(5);
  /** How long a commit waits for another process's answer: its lease, plus a margin for clock rates. */
  static final long CONFIRM_TIMEOUT_MILLIS = TimeUnit.NANOSECONDS.toMillis(LEASE_NANOS) + 1_000;
  private static final String SYNC = "sync";
  private static final String ACK = "ack";
  private static final Logger LOG = LoggerFactory.getLogger(PostgresChangeFeed.class);
  private static final int HEARTBEAT_MILLIS = 1_000;
  /** The listening connection's socket timeout (seconds): a silently dead connection fails, then reconnects. */
  private static final String SOCKET_TIMEOUT_SECONDS = "10";
  private static final long FIRST_BACKOFF_MILLIS = 100;
  private static final long MAX_BACKOFF_MILLIS = 5_000;

  private final StorageConfig config;
  private final Thread thread;
  /** Names this process's syncs, so it neither answers its own nor mistakes another's. */
  private final String processId;
  private final AtomicLong syncs = new AtomicLong();
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private volatile Connection connection;
  /** The listening connection's backend pid, as pg_stat_activity shows it; -1 while disconnected. */
  private volatile int backendPid = -1;
  /** System.nanoTime() when the last completed heartbeat was sent (see the class comment). */
  private volatile long currentSince;
  private volatile boolean closed;

  private PostgresChangeFeed(StorageConfig config, Connection first) throws SQLException {
    this.config = config;
    this.connection = first;
    this.backendPid = first.unwrap(PGConnection.class).getBackendPID();
    this.currentSince = System.nanoTime();
    byte[] id = new byte[6];
    new SecureRandom().nextBytes(id);
    this.processId = HexFormat.of().formatHex(id);
    this.thread = new Thread(this::run, "lanyard-changes");
    thread.setDaemon(true);
  }

  /** Connects and LISTENs before returning, so no change committed after {@code open} returns is missed. */
  static PostgresChangeFeed start(StorageConfig config) throws SQLException {
    Connection first = listen(config);
    try {
      PostgresChangeFeed feed = new PostgresChangeFeed(config, first);
      feed.thread.start();
      return feed;
    } catch (SQLException | RuntimeException e) {
      closeQuietly(first);
      throw e;
    }
  }

  @Override
  Confirmation beforeCommit(Connection c, List<Change> changes) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
      for (Change change : changes) {
        notify(ps, encode(change));
      }
      Set<Integer> others = otherListeners(c);
      if (others.isEmpty()) {
        return null;
      }
      Pending p = new Pending(processId + "-" + syncs.incrementAndGet(), others);
      pending.put(p.id, p); // before the commit, so an answer cannot arrive before it is expected
      notify(ps, encode(new Change(SYNC, p.id)));
      return p;
    }
  }

  private static void notify(PreparedStatement ps, String text) throws SQLException {
    ps.setString(1, CHANNEL);
    ps.setString(2, text);
    ps.execute();
  }

  /** The backend pids of the other processes' listening connections on this database. */
  private Set<Integer> otherListeners(Connection c) throws SQLException {
    Set<Integer> pids = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT pid FROM pg_stat_activity"
        + " WHERE application_name = ? AND datname = current_database() AND pid <> ?")) {
      ps.setString(1, APPLICATION_NAME);
      ps.setInt(2, backendPid);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          pids.add(rs.getInt(1));
        }
      }
    }
    return pids;
  }

  @Override
  void abandon(Confirmation confirmation) {
    pending.remove(((Pending) confirmation).id);
  }

  @Override
  CompletableFuture<Void> awaitConfirmation(Confirmation confirmation) {
    Pending p = (Pending) confirmation;
    return p.answered.completeOnTimeout(null, CONFIRM_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
        .whenComplete((nothing, error) -> {
          pending.remove(p.id);
          Set<Integer> silent = p.missing();
          if (!silent.isEmpty()) {
            // Safe (their leases have run out, so they no longer answer from their caches), but worth a look.
            LOG.warn("Lanyard processes on database connections {} did not confirm a change within {} ms",
                silent, CONFIRM_TIMEOUT_MILLIS);
          }
        });
  }

  @Override
  boolean current() {
    return System.nanoTime() - currentSince < LEASE_NANOS;
  }

  private static Connection listen(StorageConfig config) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", config.username());
    props.setProperty("password", config.password());
    props.setProperty("ApplicationName", APPLICATION_NAME);
    props.setProperty("tcpKeepAlive", "true");
    props.setProperty("connectTimeout", "10");
    props.setProperty("socketTimeout", SOCKET_TIMEOUT_SECONDS);
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
    while (!closed) {
      try {
        Connection c = connection;
        if (c == null) {
          c = listen(config);
          connection = c;
          backendPid = c.unwrap(PGConnection.class).getBackendPID();
          if (closed) {
            break;
          }
          LOG.info("change feed reconnected; listeners resynchronise");
          backoff = FIRST_BACKOFF_MILLIS;
          currentSince = System.nanoTime() - LEASE_NANOS; // lapsed: the heartbeat below sends RESYNC
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        long sent = System.nanoTime();
        try (Statement s = c.createStatement()) {
          s.execute("SELECT 1");
        }
        handle(c, pg.getNotifications());
        renew(sent);
        handle(c, pg.getNotifications(HEARTBEAT_MILLIS));
      } catch (SQLException | RuntimeException e) {
        if (closed) {
          break;
        }
        LOG.warn("change feed lost its connection, reconnecting in {} ms: {}", backoff, e.toString());
        closeQuietly(connection);
        connection = null;
        backendPid = -1;
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

  /** A heartbeat sent at {@code sent} came back and everything before it is handled. */
  private void renew(long sent) {
    if (sent - currentSince >= LEASE_NANOS) {
      deliver(Change.RESYNC); // the lease lapsed: caches may hold what a missed change made stale
    }
    currentSince = sent;
  }

  private void handle(Connection c, PGNotification[] notifications) throws SQLException {
    if (notifications == null) {
      return;
    }
    for (PGNotification n : notifications) {
      Change change = decode(n.getParameter());
      if (SYNC.equals(change.topic())) {
        if (!change.payload().startsWith(processId + "-")) {
          answer(c, change.payload()); // the changes sent before it are with the listeners now
        }
      } else if (ACK.equals(change.topic())) {
        int slash = change.payload().lastIndexOf('/');
        Pending p = slash < 0 ? null : pending.get(change.payload().substring(0, slash));
        if (p != null) {
          p.answeredBy(Integer.parseInt(change.payload().substring(slash + 1)));
        }
      } else {
        deliver(change);
      }
    }
  }

  private void answer(Connection c, String syncId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
      notify(ps, encode(new Change(ACK, syncId + "/" + backendPid)));
    }
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

  /** One transaction's changes, waiting for the other processes' answers. */
  private static final class Pending implements Confirmation {
    final String id;
    private final Set<Integer> waitingFor;
    final CompletableFuture<Void> answered = new CompletableFuture<>();

    Pending(String id, Set<Integer> waitingFor) {
      this.id = id;
      this.waitingFor = new HashSet<>(waitingFor);
    }

    void answeredBy(int pid) {
      boolean all;
      synchronized (this) {
        all = waitingFor.remove(pid) && waitingFor.isEmpty();
      }
      if (all) {
        answered.complete(null); // outside the lock: completing runs the waiting transaction's callbacks
      }
    }

    synchronized Set<Integer> missing() {
      return Set.copyOf(waitingFor);
    }
  }
}
