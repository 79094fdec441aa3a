package dev.lanyard.storage.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Base of the repositories: runs one statement on the transaction's connection and maps driver errors.
 *
 * <p>Parameters are bound by their Java type: String, Boolean, Integer, Long, byte[], Instant (UTC,
 * microseconds; see {@link Sql#setInstant}) and null.
 */
abstract class JdbcRepository {
  @FunctionalInterface
  interface Row<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private final Connection connection;

  JdbcRepository(Connection connection) {
    this.connection = connection;
  }

  /** Runs an INSERT, UPDATE or DELETE; returns the row count. */
  final int execute(String what, String sql, Object... params) {
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      bind(ps, params);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw SqlErrors.map(e, what);
    }
  }

  final <T> List<T> query(String what, String sql, Row<T> row, Object... params) {
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> result = new ArrayList<>();
        while (rs.next()) {
          result.add(row.map(rs));
        }
        return result;
      }
    } catch (SQLException e) {
      throw SqlErrors.map(e, what);
    }
  }

  /** The single row a key lookup finds, if any. */
  final <T> Optional<T> queryOne(String what, String sql, Row<T> row, Object... params) {
    List<T> rows = query(what, sql, row, params);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  /** Runs one statement once per parameter row as a JDBC batch; returns the row count of each. */
  final int[] batch(String what, String sql, List<Object[]> rows) {
    if (rows.isEmpty()) {
      return new int[0];
    }
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      for (Object[] params : rows) {
        bind(ps, params);
        ps.addBatch();
      }
      return ps.executeBatch();
    } catch (SQLException e) {
      throw SqlErrors.map(e, what);
    }
  }

  final long count(String what, String sql, Object... params) {
    return query(what, sql, rs -> rs.getLong(1), params).get(0);
  }

  final boolean exists(String what, String sql, Object... params) {
    return !query(what, sql, rs -> Boolean.TRUE, params).isEmpty();
  }

  private static void bind(PreparedStatement ps, Object[] params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      int index = i + 1;
      Object p = params[i];
      if (p == null) {
        ps.setNull(index, Types.NULL);
      } else if (p instanceof String s) {
        ps.setString(index, s);
      } else if (p instanceof Instant t) {
        Sql.setInstant(ps, index, t);
      } else if (p instanceof Boolean b) {
        ps.setBoolean(index, b);
      } else if (p instanceof Integer n) {
        ps.setInt(index, n);
      } else if (p instanceof Long n) {
        ps.setLong(index, n);
      } else if (p instanceof byte[] bytes) {
        ps.setBytes(index, bytes);
      } else {
        throw new IllegalArgumentException("cannot bind " + p.getClass().getName());
      }
    }
  }
}
