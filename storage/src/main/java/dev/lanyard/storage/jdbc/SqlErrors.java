package dev.lanyard.storage.jdbc;

import dev.lanyard.storage.AlreadyExistsException;
import dev.lanyard.storage.InvalidInputException;
import dev.lanyard.storage.NotFoundException;
import dev.lanyard.storage.StorageException;
import dev.lanyard.storage.StorageUnavailableException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * Turns driver exceptions into {@link StorageException}s by SQLState (never by message text), the same
 * way on H2 and PostgreSQL.
 */
final class SqlErrors {
  /** SQL standard / PostgreSQL: unique_violation. H2 uses it too (DUPLICATE_KEY_1). */
  static final String UNIQUE_VIOLATION = "23505";
  /** PostgreSQL foreign_key_violation; in H2 this code means "a child row still refers to it". */
  static final String FOREIGN_KEY_VIOLATION = "23503";
  /** H2 REFERENTIAL_INTEGRITY_VIOLATED_PARENT_MISSING_1: the referenced parent row does not exist. */
  static final String H2_PARENT_MISSING = "23506";
  /**
   * SQL standard class 22, data exception: a value the database cannot take. PostgreSQL answers text with a NUL
   * character with 22021 (character_not_in_repertoire); pgjdbc refuses one itself ("Zero bytes may not occur in
   * string parameters", 22023 invalid_parameter_value) where it writes a parameter into the SQL text; a value
   * too long for its column is 22001 on both databases.
   */
  static final String DATA_EXCEPTION_CLASS = "22";

  private SqlErrors() {}

  /** What {@code e}, raised while doing {@code what}, means to a caller. */
  static StorageException map(SQLException e, String what) {
    if (isUnavailable(e)) {
      return new StorageUnavailableException("database unavailable while " + what + ": " + e.getMessage(), e);
    }
    String state = e.getSQLState();
    if (UNIQUE_VIOLATION.equals(state)) {
      return withCause(new AlreadyExistsException(what + ": already exists"), e);
    }
    if (FOREIGN_KEY_VIOLATION.equals(state) || H2_PARENT_MISSING.equals(state)) {
      // Every foreign key cascades on delete, so a violation can only be an insert or update naming a
      // parent (tenant, user, group) that does not exist.
      return withCause(new NotFoundException(what + ": it refers to something that does not exist"), e);
    }
    if (state != null && state.startsWith(DATA_EXCEPTION_CLASS)) {
      return withCause(new InvalidInputException(what + ": the database cannot take a value given (SQLState "
          + state + "): " + e.getMessage()), e);
    }
    return new StorageException("database error while " + what + " (SQLState " + state + "): " + e.getMessage(), e);
  }

  /**
   * Connection failures: SQLState class 08, a pool timeout (Hikari throws
   * {@link SQLTransientConnectionException}), or PostgreSQL shutting down / starting up (57P01-57P03).
   * Decided by SQLState, not exception class: H2 reports a database file locked by another process (90020,
   * not a passing fault) as an SQLNonTransientConnectionException.
   */
  static boolean isUnavailable(SQLException e) {
    for (SQLException x = e; x != null; x = x.getNextException()) {
      if (x instanceof SQLTransientConnectionException) {
        return true;
      }
      String state = x.getSQLState();
      if (state != null && (state.startsWith("08") || state.startsWith("57P0"))) {
        return true;
      }
      if (x.getNextException() == x) {
        break;
      }
    }
    return false;
  }

  private static StorageException withCause(StorageException mapped, SQLException cause) {
    mapped.initCause(cause);
    return mapped;
  }
}
