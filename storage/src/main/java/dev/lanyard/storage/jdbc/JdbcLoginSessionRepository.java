package dev.lanyard.storage.jdbc;

import dev.lanyard.storage.LoginSessionRepository;
import dev.lanyard.storage.model.LoginSession;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Login sessions: only the SHA-256 of the cookie secret is stored. */
final class JdbcLoginSessionRepository extends JdbcRepository implements LoginSessionRepository {
  private static final String COLUMNS = "tenant_id, id, user_id, secret_hash, auth_time, created_at, last_seen_at,"
      + " expires_at, ended_at, source_address, user_agent";

  JdbcLoginSessionRepository(Connection connection) {
    super(connection);
  }

  @Override
  public void create(LoginSession s) {
    execute("creating login session in tenant " + s.tenantId(),
        "INSERT INTO login_sessions (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", s.tenantId(), s.id(),
        s.userId(), s.secretHash(), s.authTime(), s.createdAt(), s.lastSeenAt(), s.expiresAt(), s.endedAt(),
        s.sourceAddress(), s.userAgent());
  }

  @Override
  public Optional<LoginSession> find(String tenantId, String sessionId) {
    return queryOne("reading login session", "SELECT " + COLUMNS + " FROM login_sessions WHERE tenant_id = ? AND id = ?",
        JdbcLoginSessionRepository::row, tenantId, sessionId);
  }

  @Override
  public boolean touch(String tenantId, String sessionId, Instant at) {
    int changed = execute("touching login session", "UPDATE login_sessions SET last_seen_at = ?"
        + " WHERE tenant_id = ? AND id = ? AND ended_at IS NULL AND last_seen_at < ?", at, tenantId, sessionId, at);
    return changed == 1 || exists("reading login session", "SELECT 1 FROM login_sessions"
        + " WHERE tenant_id = ? AND id = ? AND ended_at IS NULL", tenantId, sessionId);
  }

  @Override
  public boolean end(String tenantId, String sessionId, Instant at) {
    return execute("ending login session", "UPDATE login_sessions SET ended_at = ?"
        + " WHERE tenant_id = ? AND id = ? AND ended_at IS NULL", at, tenantId, sessionId) == 1;
  }

  @Override
  public List<LoginSession> openOfUser(String tenantId, String userId, Instant now) {
    return query("listing login sessions of a user", "SELECT " + COLUMNS + " FROM login_sessions"
        + " WHERE tenant_id = ? AND user_id = ? AND ended_at IS NULL AND expires_at > ? ORDER BY created_at DESC, id",
        JdbcLoginSessionRepository::row, tenantId, userId, now);
  }

  @Override
  public int endAllOf(String tenantId, String userId, Instant at) {
    return execute("ending login sessions of a user", "UPDATE login_sessions SET ended_at = ?"
        + " WHERE tenant_id = ? AND user_id = ? AND ended_at IS NULL", at, tenantId, userId);
  }

  @Override
  public int deleteInactiveBefore(Instant before) {
    return execute("deleting old login sessions", "DELETE FROM login_sessions WHERE expires_at < ? OR ended_at < ?",
        before, before);
  }

  private static LoginSession row(ResultSet rs) throws SQLException {
    return new LoginSession(rs.getString("tenant_id"), rs.getString("id"), rs.getString("user_id"),
        rs.getBytes("secret_hash"), Sql.getInstant(rs, "auth_time"), Sql.getInstant(rs, "created_at"),
        Sql.getInstant(rs, "last_seen_at"), Sql.getInstant(rs, "expires_at"), Sql.getInstant(rs, "ended_at"),
        rs.getString("source_address"), rs.getString("user_agent"));
  }
}
