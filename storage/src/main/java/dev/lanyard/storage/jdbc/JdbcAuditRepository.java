package dev.lanyard.storage.jdbc;

import dev.lanyard.storage.AuditRepository;
import dev.lanyard.storage.model.AuditEvent;
import dev.lanyard.storage.model.AuditQuery;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The audit trail. Rows outlive their tenant: audit_events has no foreign key. */
final class JdbcAuditRepository extends JdbcRepository implements AuditRepository {
  private static final String COLUMNS = "id, occurred_at, tenant_id, actor, action, target, outcome, source, details";

  JdbcAuditRepository(Connection connection) {
    super(connection);
  }

  @Override
  public void append(AuditEvent e) {
    execute("appending audit event " + e.action(),
        "INSERT INTO audit_events (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", e.id(), e.at(), e.tenantId(),
        e.actor(), e.action(), e.target(), e.outcome(), e.source(), e.details());
  }

  @Override
  public List<AuditEvent> query(AuditQuery q, int offset, int limit) {
    if (offset < 0 || limit < 0) {
      throw new IllegalArgumentException("offset and limit must not be negative");
    }
    List<Object> params = new ArrayList<>();
    String where = where(q, params);
    params.add(offset);
    params.add(limit);
    return query("reading the audit trail", "SELECT " + COLUMNS + " FROM audit_events" + where
        + " ORDER BY occurred_at DESC, id DESC OFFSET ? ROWS FETCH FIRST ? ROWS ONLY", JdbcAuditRepository::row,
        params.toArray());
  }

  @Override
  public long count(AuditQuery q) {
    List<Object> params = new ArrayList<>();
    return count("counting audit events", "SELECT COUNT(*) FROM audit_events" + where(q, params), params.toArray());
  }

  @Override
  public int deleteBefore(Instant before, int limit) {
    if (limit < 0) throw new IllegalArgumentException("limit must not be negative");
    // A bounded batch (audit_events_at_idx finds it), so no call holds a long transaction or many locks.
    return execute("deleting old audit events", "DELETE FROM audit_events WHERE id IN (SELECT id FROM audit_events"
        + " WHERE occurred_at < ? ORDER BY occurred_at, id FETCH FIRST ? ROWS ONLY)", before, limit);
  }

  /** The WHERE clause of a query (empty when it matches everything), its parameters appended to params. */
  private static String where(AuditQuery q, List<Object> params) {
    List<String> conditions = new ArrayList<>();
    if (q.tenantId() != null) {
      conditions.add("tenant_id = ?");
      params.add(q.tenantId());
    }
    if (q.actor() != null) {
      conditions.add("actor = ?");
      params.add(q.actor());
    }
    if (q.action() != null) {
      if (q.action().endsWith(".")) {
        conditions.add("action LIKE ? ESCAPE '\\'");
        params.add(likeEscape(q.action()) + "%");
      } else {
        conditions.add("action = ?");
        params.add(q.action());
      }
    }
    if (q.from() != null) {
      conditions.add("occurred_at >= ?");
      params.add(q.from());
    }
    if (q.to() != null) {
      conditions.add("occurred_at < ?");
      params.add(q.to());
    }
    return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
  }

  private static String likeEscape(String s) {
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  private static AuditEvent row(ResultSet rs) throws SQLException {
    return new AuditEvent(rs.getString("id"), Sql.getInstant(rs, "occurred_at"), rs.getString("tenant_id"),
        rs.getString("actor"), rs.getString("action"), rs.getString("target"), rs.getString("outcome"),
        rs.getString("source"), rs.getString("details"));
  }
}
