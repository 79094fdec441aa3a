package dev.lanyard.storage.jdbc;

import dev.lanyard.storage.DeviceAuthorizationRepository;
import dev.lanyard.storage.model.DeviceAuthorization;
import dev.lanyard.storage.model.DeviceAuthorizationStatus;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** Device authorizations; scopes are a JSON array in a text column, the status is stored by name. */
final class JdbcDeviceAuthorizationRepository extends JdbcRepository implements DeviceAuthorizationRepository {
  private static final String COLUMNS = "tenant_id, id, device_code_hash, user_code, client_id, scopes, created_at,"
      + " expires_at, poll_interval, last_polled_at, status, user_id, auth_time, session_id, decided_at";
  private static final String PENDING = DeviceAuthorizationStatus.PENDING.name();

  JdbcDeviceAuthorizationRepository(Connection connection) {
    super(connection);
  }

  @Override
  public void create(DeviceAuthorization a) {
    // Frees the user code of an expired authorization; an unexpired holder makes the INSERT fail with
    // AlreadyExists (a unique violation), and the caller retries with another code in a new transaction.
    execute("freeing an expired user code", "DELETE FROM device_authorizations"
        + " WHERE tenant_id = ? AND user_code = ? AND expires_at <= ?", a.tenantId(), a.userCode(), a.createdAt());
    execute("creating device authorization " + a.id() + " in tenant " + a.tenantId(),
        "INSERT INTO device_authorizations (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        a.tenantId(), a.id(), a.deviceCodeHash(), a.userCode(), a.clientId(), Sql.toJson(a.scopes()), a.createdAt(),
        a.expiresAt(), a.intervalSeconds(), a.lastPolledAt(), a.status().name(), a.userId(), a.authTime(),
        a.sessionId(), a.decidedAt());
  }

  @Override
  public Optional<DeviceAuthorization> find(String tenantId, String id) {
    return queryOne("reading device authorization " + id, "SELECT " + COLUMNS
        + " FROM device_authorizations WHERE tenant_id = ? AND id = ?", JdbcDeviceAuthorizationRepository::row,
        tenantId, id);
  }

  @Override
  public Optional<DeviceAuthorization> findByDeviceCodeHash(String tenantId, byte[] deviceCodeHash) {
    return queryOne("reading device authorization by device code", "SELECT " + COLUMNS
        + " FROM device_authorizations WHERE device_code_hash = ? AND tenant_id = ?",
        JdbcDeviceAuthorizationRepository::row, deviceCodeHash, tenantId);
  }

  @Override
  public Optional<DeviceAuthorization> lockByDeviceCodeHash(String tenantId, byte[] deviceCodeHash) {
    return queryOne("locking device authorization by device code", "SELECT " + COLUMNS
        + " FROM device_authorizations WHERE device_code_hash = ? AND tenant_id = ? FOR UPDATE",
        JdbcDeviceAuthorizationRepository::row, deviceCodeHash, tenantId);
  }

  @Override
  public Optional<DeviceAuthorization> findByUserCode(String tenantId, String userCode) {
    return queryOne("reading device authorization by user code", "SELECT " + COLUMNS
        + " FROM device_authorizations WHERE tenant_id = ? AND user_code = ?", JdbcDeviceAuthorizationRepository::row,
        tenantId, userCode);
  }

  @Override
  public boolean recordPoll(String tenantId, String id, Instant at, int intervalSeconds) {
    if (intervalSeconds < 1) throw new IllegalArgumentException("intervalSeconds must be at least 1");
    return execute("recording a poll of device authorization " + id, "UPDATE device_authorizations"
        + " SET last_polled_at = ?, poll_interval = ? WHERE tenant_id = ? AND id = ? AND status = ?",
        at, intervalSeconds, tenantId, id, PENDING) > 0;
  }

  @Override
  public boolean approve(String tenantId, String id, String userId, Instant authTime, String sessionId, Instant at) {
    return decide(DeviceAuthorizationStatus.APPROVED, tenantId, id, userId, authTime, sessionId, at);
  }

  @Override
  public boolean deny(String tenantId, String id, String userId, Instant authTime, String sessionId, Instant at) {
    return decide(DeviceAuthorizationStatus.DENIED, tenantId, id, userId, authTime, sessionId, at);
  }

  private boolean decide(DeviceAuthorizationStatus decision, String tenantId, String id, String userId,
      Instant authTime, String sessionId, Instant at) {
    return execute("deciding device authorization " + id, "UPDATE device_authorizations"
        + " SET status = ?, user_id = ?, auth_time = ?, session_id = ?, decided_at = ?"
        + " WHERE tenant_id = ? AND id = ? AND status = ? AND expires_at > ?",
        decision.name(), userId, authTime, sessionId, at, tenantId, id, PENDING, at) > 0;
  }

  @Override
  public boolean consume(String tenantId, String id, Instant at) {
    // The status condition is what makes this single-use: the database lets one UPDATE change the row, and a
    // concurrent one then finds it CONSUMED and changes nothing.
    return execute("consuming device authorization " + id, "UPDATE device_authorizations SET status = ?"
        + " WHERE tenant_id = ? AND id = ? AND status = ? AND expires_at > ?",
        DeviceAuthorizationStatus.CONSUMED.name(), tenantId, id, DeviceAuthorizationStatus.APPROVED.name(), at) > 0;
  }

  @Override
  public int deleteExpiredBefore(Instant before) {
    return execute("deleting expired device authorizations",
        "DELETE FROM device_authorizations WHERE expires_at < ?", before);
  }

  private static DeviceAuthorization row(ResultSet rs) throws SQLException {
    return new DeviceAuthorization(rs.getString("tenant_id"), rs.getString("id"), rs.getBytes("device_code_hash"),
        rs.getString("user_code"), rs.getString("client_id"), Sql.fromJson(rs.getString("scopes")),
        Sql.getInstant(rs, "created_at"), Sql.getInstant(rs, "expires_at"), rs.getInt("poll_interval"),
        Sql.getInstant(rs, "last_polled_at"), DeviceAuthorizationStatus.valueOf(rs.getString("status")),
        rs.getString("user_id"), Sql.getInstant(rs, "auth_time"), rs.getString("session_id"),
        Sql.getInstant(rs, "decided_at"));
  }
}
