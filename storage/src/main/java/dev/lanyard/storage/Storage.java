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
   * {@link StorageException} for database faults).
   */
  <T> Future<T> transaction(StoreWork<T> work);

  /**
   * Runs {@code work} in one transaction on the calling thread, for the command line and other
   * non-Vert.x threads. Throws {@link IllegalStateException} when called on an event loop.
   */
  <T> T transactionBlocking(StoreWork<T> work);

  /** Which SQL database this is, for log lines and health output. */
  String databaseName();

  /** Closes the connection pool. */
  @Override
  void close();
}
