package dev.lanyard.storage;

import io.vertx.core.Future;

/**
 * Lanyard's database: every read and write goes through one transaction of a {@link StoreSession}.
 *
 * <p>Implementations must pass {@code StorageConformanceTest}. JDBC is blocking, so {@link #transaction}
 * runs the work on a worker thread and never on an event loop.
 */
public interface Storage extends AutoCloseable {

  /**
   * Runs {@code work} in one transaction on a worker thread. The transaction commits when the work returns
   * and rolls back when it throws; the returned future then fails with that exception (a
   * {@link StorageException} for database faults). When the work announced changes
   * ({@link StoreSession#notifyChange}), the future completes once every process sharing the database has
   * handed them to its listeners, or can no longer answer from its caches ({@link #changesCurrent}).
   */
  <T> Future<T> transaction(StoreWork<T> work);

  /**
   * Runs {@code work} in one transaction on the calling thread, for the command line and other
   * non-Vert.x threads, returning when {@link #transaction}'s future would complete. Throws
   * {@link IllegalStateException} when called on an event loop.
   */
  <T> T transactionBlocking(StoreWork<T> work);

  /**
   * Subscribes to committed changes, from this process and every other one sharing the database
   * ({@link StoreSession#notifyChange}). The listener runs on a storage thread and must not block. Changes
   * may arrive more than once, and none is lost while the connection is up; after a reconnect, or when the feed
   * had fallen silent ({@link #changesCurrent}), the listener gets {@link Change#RESYNC} and must drop whatever
   * it caches.
   */
  void onChange(java.util.function.Consumer<Change> listener);

  /**
   * Whether this process has every change committed until a moment ago: caches of database reads that changes
   * invalidate may answer only while this is true. Always true on the embedded database; on a shared one it
   * turns false when the change feed has not proved itself complete for a few seconds (a silently dead
   * connection, a stalled process), and it is true again only after listeners got {@link Change#RESYNC}.
   */
  boolean changesCurrent();

  /** A committed change. */
  record Change(String topic, String payload) {
    /** Sent after the change feed reconnected: some changes may have been missed. */
    public static final Change RESYNC = new Change("resync", "");
  }

  /** Whether the database answers now (a cheap query), for readiness and health. */
  io.vertx.core.Future<Void> ping();

  /** Which SQL database this is, for log lines and health output. */
  String databaseName();

  /** Closes the connection pool. */
  @Override
  void close();
}
