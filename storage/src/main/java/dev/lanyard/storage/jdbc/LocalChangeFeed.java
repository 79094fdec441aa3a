package dev.lanyard.storage.jdbc;

import dev.lanyard.storage.Storage.Change;
import java.sql.Connection;
import java.util.List;

/**
 * The change feed of the embedded H2 database, which only one process can open: the base class's
 * {@link #afterCommit} hands committed changes to this process's listeners, and there is no one else to tell.
 */
final class LocalChangeFeed extends ChangeFeed {
  @Override
  void beforeCommit(Connection connection, List<Change> changes) {
    // nothing to do before the commit: H2 has no NOTIFY
  }

  @Override
  public void close() {
    // nothing to release
  }
}
