package dev.lanyard.storage.jdbc;

import dev.lanyard.storage.AlreadyExistsException;
import dev.lanyard.storage.LoginFailureRepository;
import dev.lanyard.storage.model.LoginFailures;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.util.Optional;

/**
 * Failed-login counters. Counting is an UPDATE, or an INSERT for the first failure; two first failures at once
 * collide on the key, and the loser (rolled back to a savepoint, as PostgreSQL needs to go on) updates instead.
 */
final class JdbcLoginFailureRepository extends JdbcRepository implements LoginFailureRepository {
  private static final String COLUMNS = "tenant_id, subject_kind, subject, failures, first_failed_at, last_failed_at,"
      + " locked_until";

  private final Connection connection;

  JdbcLoginFailureRepository(Connection connection) {
    super(connection);
    this.connection = connection;
  }

  @Override
  public Optional<LoginFailures> find(String tenantId, String kind, String subject) {
    return queryOne("reading login failures", "SELECT " + COLUMNS + " FROM login_failures"
        + " WHERE tenant_id = ? AND subject_kind = ? AND subject = ?", JdbcLoginFailureRepository::row,
        tenantId, kind, subject);
  }

  @Override
  public LoginFailures recordFailure(String tenantId, String kind, String subject, Instant at, Instant forgetBefore) {
    if (increment(tenantId, kind, subject, at, forgetBefore) == 0) {
      Savepoint savepoint = savepoint();
      try {
        execute("recording a login failure", "INSERT INTO login_failures (" + COLUMNS + ") VALUES (?, ?, ?, 1, ?, ?, NULL)",
            tenantId, kind, subject, at, at);
        release(savepoint);
      } catch (AlreadyExistsException raced) {
        rollback(savepoint);
        increment(tenantId, kind, subject, at, forgetBefore);
      }
    }
    return find(tenantId, kind, subject).orElseThrow();
  }

  private int increment(String tenantId, String kind, String subject, Instant at, Instant forgetBefore) {
    // A count that went quiet for the whole window starts again, and so does its first-failure time.
    return execute("recording a login failure", "UPDATE login_failures SET"
        + " failures = CASE WHEN last_failed_at < ? THEN 1 ELSE failures + 1 END,"
        + " first_failed_at = CASE WHEN last_failed_at < ? THEN ? ELSE first_failed_at END,"
        + " last_failed_at = ? WHERE tenant_id = ? AND subject_kind = ? AND subject = ?",
        forgetBefore, forgetBefore, at, at, tenantId, kind, subject);
  }

  @Override
  public void lockUntil(String tenantId, String kind, String subject, Instant until) {
    execute("locking a login subject", "UPDATE login_failures SET locked_until = ?"
        + " WHERE tenant_id = ? AND subject_kind = ? AND subject = ?", until, tenantId, kind, subject);
  }

  @Override
  public void clear(String tenantId, String kind, String subject) {
    execute("clearing login failures", "DELETE FROM login_failures"
        + " WHERE tenant_id = ? AND subject_kind = ? AND subject = ?", tenantId, kind, subject);
  }

  @Override
  public int deleteIdleBefore(Instant before) {
    return execute("deleting old login failures", "DELETE FROM login_failures"
        + " WHERE last_failed_at < ? AND (locked_until IS NULL OR locked_until < ?)", before, before);
  }

  private Savepoint savepoint() {
    try {
      return connection.setSavepoint();
    } catch (SQLException e) {
      throw SqlErrors.map(e, "setting a savepoint");
    }
  }

  private void release(Savepoint savepoint) {
    try {
      connection.releaseSavepoint(savepoint);
    } catch (SQLException e) {
      throw SqlErrors.map(e, "releasing a savepoint");
    }
  }

  private void rollback(Savepoint savepoint) {
    try {
      connection.rollback(savepoint);
    } catch (SQLException e) {
      throw SqlErrors.map(e, "rolling back to a savepoint");
    }
  }

  private static LoginFailures row(ResultSet rs) throws SQLException {
    return new LoginFailures(rs.getString("tenant_id"), rs.getString("subject_kind"), rs.getString("subject"),
        rs.getInt("failures"), Sql.getInstant(rs, "first_failed_at"), Sql.getInstant(rs, "last_failed_at"),
        Sql.getInstant(rs, "locked_until"));
  }
}
