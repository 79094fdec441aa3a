package dev.lanyard.storage.jdbc;

import io.vertx.core.json.JsonArray;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Small JDBC helpers shared by the repositories. */
final class Sql {
  private Sql() {}

  /**
   * Binds an instant as a UTC {@code TIMESTAMP WITH TIME ZONE}, truncated to microseconds (the precision of
   * PostgreSQL and of H2's default), so what is read back equals what was written on every database.
   */
  static void setInstant(PreparedStatement ps, int index, Instant instant) throws SQLException {
    if (instant == null) {
      ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      ps.setObject(index, OffsetDateTime.ofInstant(truncate(instant), ZoneOffset.UTC));
    }
  }

  static Instant getInstant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  /** The precision storage keeps: microseconds. */
  static Instant truncate(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MICROS);
  }

  static void setNullableString(PreparedStatement ps, int index, String value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.VARCHAR);
    } else {
      ps.setString(index, value);
    }
  }

  /** Strings as a JSON array, in the given order. */
  static String toJson(Collection<String> values) {
    return new JsonArray(new ArrayList<>(values)).encode();
  }

  /** OAuth scopes as one space-separated, sorted string (RFC 6749 §3.3 syntax); empty for none. */
  static String scopes(java.util.Set<String> scopes) {
    return String.join(" ", new java.util.TreeSet<>(scopes));
  }

  static java.util.Set<String> parseScopes(String text) {
    return text.isEmpty() ? java.util.Set.of() : java.util.Set.of(text.split(" "));
  }

  static List<String> fromJson(String json) {
    JsonArray array = new JsonArray(json);
    List<String> values = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      values.add(array.getString(i));
    }
    return values;
  }
}
