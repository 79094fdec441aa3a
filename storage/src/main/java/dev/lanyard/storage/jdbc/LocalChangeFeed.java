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
  Confirmation beforeCommit(Connection connection, List<Change> changes) {
    return null; // nothing to do before the commit: H2 has no NOTIFY, and no other process to wait for
  }

  /** Every change of this database is made by this process, which hears it before the transaction returns. */
  @Override
  boolean current() {
    return true;
  }

  @Override
  public void close() {
    // nothing to release
  }
}
