package dev.lanyard.storage.jdbc;

import dev.lanyard.storage.Storage.Change;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries the changes a transaction announced ({@link dev.lanyard.storage.StoreSession#notifyChange}) to the
 * {@link dev.lanyard.storage.Storage#onChange} listeners, once the transaction has committed.
 *
 * <p>{@link JdbcStorage} calls {@link #beforeCommit} inside the transaction just before committing and
 * {@link #afterCommit} once the commit succeeded. The committing process's own listeners get the changes
 * synchronously there, before the transaction returns, so whatever the caller does next already sees them
 * (a revoked token is refused by the very next review); other processes get them through the database's
 * notifications, on the feed's thread, and the transaction's future completes only once they have
 * ({@link #afterCommit}). Duplicates are allowed. A listener that throws is logged and keeps its subscription;
 * listeners must be quick (they drop cache entries).
 */
abstract class ChangeFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);

  private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();

  final void subscribe(Consumer<Change> listener) {
    listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
  }

  final boolean hasListeners() {
    return !listeners.isEmpty();
  }

  /**
   * Runs inside the transaction, before its commit; a failure rolls the transaction back.
   *
   * @return what {@link #afterCommit} waits for: the other processes' confirmation that they have the changes,
   *     or null when there is no one else to tell
   */
  abstract Confirmation beforeCommit(Connection connection, List<Change> changes) throws SQLException;

  /** The transaction that {@link #beforeCommit} prepared rolled back: nothing will be confirmed. */
  void abandon(Confirmation confirmation) {
    // nothing to forget unless the feed tracks confirmations
  }

  /**
   * Runs after the transaction committed, on the committing thread: this process's listeners learn now.
   *
   * @return completes when every other process sharing the database has handed the changes to its listeners,
   *     or can no longer answer from what it cached before them ({@link #current}); never fails
   */
  final CompletableFuture<Void> afterCommit(List<Change> changes, Confirmation confirmation) {
    for (Change change : changes) deliver(change);
    return confirmation == null ? CompletableFuture.completedFuture(null) : awaitConfirmation(confirmation);
  }

  /** Waits (without blocking) for what {@link #beforeCommit} returned. */
  CompletableFuture<Void> awaitConfirmation(Confirmation confirmation) {
    return CompletableFuture.completedFuture(null);
  }

  /**
   * Whether this process has heard, a moment ago, every change committed before then: while false, caches of
   * database reads must not answer, since a change may have passed them by.
   */
  abstract boolean current();

  /** The other processes' acknowledgement of one transaction's changes. */
  interface Confirmation {
  }

  @Override
  public abstract void close();

  /** Hands one change to every listener, on the calling (feed) thread. */
  final void deliver(Change change) {
    for (Consumer<Change> listener : listeners) {
      try {
        listener.accept(change);
      } catch (RuntimeException | Error e) { // NOPMD a listener must not stop the feed
        LOG.warn("change listener failed on {}:{}", change.topic(), change.payload(), e);
      }
    }
  }

  /** The wire form of a change: {@code topic:payload} (topics never contain ':'). */
  static String encode(Change change) {
    return change.topic() + ":" + change.payload();
  }

  static Change decode(String text) {
    int colon = text.indexOf(':');
    return colon < 0 ? new Change(text, "") : new Change(text.substring(0, colon), text.substring(colon + 1));
  }
}
