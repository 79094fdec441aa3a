package dev.lanyard.storage.jdbc;

import dev.lanyard.storage.StorageException;
import dev.lanyard.storage.StorageUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Schema migrations: Flyway scripts in {@code src/main/resources/db/migration}.
 *
 * <p>Start-up must be fast, and Flyway costs ~400 ms on a cold JVM even when there is nothing to do
 * (class loading, classpath scanning, validation). So {@link #migrate} first reads Flyway's history table
 * itself: when every version in {@link #VERSIONS} is recorded as successful, the schema is current and Flyway
 * is not loaded at all. Otherwise (a new or older database, a failed migration) Flyway runs in full,
 * validating on migrate. The trade-off: an edited, already applied script is not noticed on the fast path.
 */
final class Migrations {
  /**
   * Every migration's version, in order. Add a version here when adding a script (a test checks the two
   * agree).
   */
  static final List<String> VERSIONS = List.of("1", "2", "3", "4", "5", "6", "7", "8", "9");

  static final String LOCATION = "db/migration";
  private static final String HISTORY = "SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"success\" = TRUE";

  private Migrations() {}

  /** Brings the schema to the latest version. Returns whether Flyway had to run. */
  static boolean migrate(DataSource dataSource) {
    if (isCurrent(dataSource)) {
      return false;
    }
    try {
      Flyway.configure(Migrations.class.getClassLoader())
          .dataSource(dataSource)
          .locations("classpath:" + LOCATION)
          .cleanDisabled(true)
          .placeholderReplacement(false)
          .load()
          .migrate();
      return true;
    } catch (RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof SQLException sql && SqlErrors.isUnavailable(sql)) {
          throw new StorageUnavailableException("database unavailable while migrating: " + e.getMessage(), e);
        }
      }
      throw new StorageException("schema migration failed: " + e.getMessage(), e);
    }
  }

  /** Whether the history table records every known version as applied; false when there is no table yet. */
  static boolean isCurrent(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      Set<String> applied = new HashSet<>();
      try (PreparedStatement ps = c.prepareStatement(HISTORY); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          applied.add(rs.getString(1));
        }
      } finally {
        c.rollback(); // on PostgreSQL a missing table aborts the transaction; leave the connection clean
      }
      return applied.containsAll(VERSIONS);
    } catch (SQLException e) {
      if (SqlErrors.isUnavailable(e)) {
        throw SqlErrors.map(e, "reading the schema version");
      }
      return false; // no history table yet: let Flyway create it
    }
  }
}
