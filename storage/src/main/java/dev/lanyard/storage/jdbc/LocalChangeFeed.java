package dev.lanyard.storage.jdbc;

import dev.lanyard.storage.Storage.Change;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The change feed of the embedded H2 database, which only one process can open: committed changes go
 * straight to this process's listeners, on one daemon thread (so a slow listener never holds up a commit
 * and changes arrive in commit order).
 */
final class LocalChangeFeed extends ChangeFeed {
  private final ExecutorService thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
      new LinkedBlockingQueue<>(), r -> {
        Thread t = new Thread(r, "lanyard-changes");
        t.setDaemon(true);
        return t;
      });

  @Override
  void beforeCommit(Connection connection, List<Change> changes) {
    // nothing to do before the commit: H2 has no NOTIFY
  }

  @Override
  void afterCommit(List<Change> changes) {
    if (changes.isEmpty() || !hasListeners()) {
      return;
    }
    List<Change> copy = List.copyOf(changes);
    try {
      thread.execute(() -> copy.forEach(this::deliver));
    } catch (RejectedExecutionException e) {
      // closed: nobody is listening any more
    }
  }

  @Override
  public void close() {
    thread.shutdown();
  }
}
