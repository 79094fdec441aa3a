package dev.lanyard.storage.jdbc;

import dev.lanyard.storage.NotFoundException;
import dev.lanyard.storage.TokenRepository;
import dev.lanyard.storage.model.OpaqueToken;
import dev.lanyard.storage.model.PrincipalType;
import dev.lanyard.storage.model.TokenKind;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Opaque tokens; the cluster ids are a JSON array in a text column, enums are stored by name. */
final class JdbcTokenRepository extends JdbcRepository implements TokenRepository {
  private static final String COLUMNS = "tenant_id, id, token_hash, kind, principal_type, principal_id, description,"
      + " clusters, created_at, expires_at, revoked_at, last_used_at, created_by";

  JdbcTokenRepository(Connection connection) {
    super(connection);
  }

  @Override
  public void create(OpaqueToken t) {
    execute("creating token " + t.id() + " in tenant " + t.tenantId(),
        "INSERT INTO tokens (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", t.tenantId(), t.id(),
        t.hash(), t.kind().name(), t.principalType().name(), t.principalId(), t.description(), Sql.toJson(t.clusters()),
        t.createdAt(), t.expiresAt(), t.revokedAt(), t.lastUsedAt(), t.createdBy());
  }

  @Override
  public Optional<OpaqueToken> findByHash(byte[] hash) {
    return queryOne("reading token by hash", "SELECT " + COLUMNS + " FROM tokens WHERE token_hash = ?",
        JdbcTokenRepository::row, (Object) hash);
  }

  @Override
  public Optional<OpaqueToken> find(String tenantId, String tokenId) {
    return queryOne("reading token " + tokenId, "SELECT " + COLUMNS + " FROM tokens WHERE tenant_id = ? AND id = ?",
        JdbcTokenRepository::row, tenantId, tokenId);
  }

  @Override
  public List<OpaqueToken> list(String tenantId, TokenKind kind, PrincipalType principalType, String principalId,
      boolean includeInactive, Instant now, int offset, int limit) {
    if (offset < 0 || limit < 0) {
      throw new IllegalArgumentException("offset and limit must not be negative");
    }
    List<Object> params = new ArrayList<>();
    String where = where(tenantId, kind, principalType, principalId, includeInactive, now, params);
    // Newest first, in the order of tokens_created_idx or tokens_principal_idx (V8), so the database reads the page
    // off the index instead of sorting the tenant's tokens. The columns the WHERE fixes lead the ORDER BY, changing
    // nothing but letting H2 see the index's order: without them it sorts, a million tokens in 100 s.
    String order = principalType == null ? "tenant_id DESC, created_at DESC, id DESC"
        : "tenant_id DESC, principal_type DESC, principal_id DESC, created_at DESC, id DESC";
    String sql = "SELECT " + COLUMNS + " FROM tokens" + where + " ORDER BY " + order
        + " OFFSET ? ROWS FETCH FIRST ? ROWS ONLY";
    params.add(offset);
    params.add(limit);
    return query("listing tokens", sql, JdbcTokenRepository::row, params.toArray());
  }

  @Override
  public long count(String tenantId, TokenKind kind, PrincipalType principalType, String principalId,
      boolean includeInactive, Instant now) {
    List<Object> params = new ArrayList<>();
    String where = where(tenantId, kind, principalType, principalId, includeInactive, now, params);
    return count("counting tokens", "SELECT COUNT(*) FROM tokens" + where, params.toArray());
  }

  /**
   * The WHERE clause of {@link #list} and {@link #count}; adds its parameters to {@code params}. Optional filters are
   * appended rather than written as "? IS NULL OR ...", which PostgreSQL cannot type and which keeps either database
   * from using the principal index.
   */
  private static String where(String tenantId, TokenKind kind, PrincipalType principalType, String principalId,
      boolean includeInactive, Instant now, List<Object> params) {
    if ((principalType == null) != (principalId == null)) {
      throw new IllegalArgumentException("principalType and principalId go together");
    }
    StringBuilder sql = new StringBuilder(" WHERE tenant_id = ?");
    params.add(tenantId);
    if (kind != null) {
      sql.append(" AND kind = ?");
      params.add(kind.name());
    }
    if (principalType != null) {
      sql.append(" AND principal_type = ? AND principal_id = ?");
      params.add(principalType.name());
      params.add(principalId);
    }
    if (!includeInactive) {
      sql.append(" AND revoked_at IS NULL AND expires_at > ?");
      params.add(now);
    }
    return sql.toString();
  }

  @Override
  public boolean revoke(String tenantId, String tokenId, Instant at) {
    int n = execute("revoking token " + tokenId,
        "UPDATE tokens SET revoked_at = ? WHERE tenant_id = ? AND id = ? AND revoked_at IS NULL", at, tenantId, tokenId);
    if (n > 0) {
      return true;
    }
    if (!exists("reading token " + tokenId, "SELECT id FROM tokens WHERE tenant_id = ? AND id = ?", tenantId, tokenId)) {
      throw new NotFoundException("no token " + tokenId + " in tenant " + tenantId);
    }
    return false;
  }

  @Override
  public int revokeAllOf(String tenantId, PrincipalType principalType, String principalId, Instant at) {
    return execute("revoking tokens of " + principalType + " " + principalId,
        "UPDATE tokens SET revoked_at = ? WHERE tenant_id = ? AND principal_type = ? AND principal_id = ?"
            + " AND revoked_at IS NULL AND expires_at > ?",
        at, tenantId, principalType.name(), principalId, at);
  }

  /**
   * One batched UPDATE; the condition keeps a later time already written (by another replica's batch) from
   * being overwritten by an earlier one. Ids are sorted so that concurrent batches lock rows in one order.
   */
  @Override
  public void recordLastUsed(String tenantId, Map<String, Instant> lastUsed) {
    List<Object[]> rows = new ArrayList<>(lastUsed.size());
    for (Map.Entry<String, Instant> e : new TreeMap<>(lastUsed).entrySet()) {
      Instant at = Sql.truncate(e.getValue());
      rows.add(new Object[] {at, tenantId, e.getKey(), at});
    }
    batch("recording token use", "UPDATE tokens SET last_used_at = ? WHERE tenant_id = ? AND id = ?"
        + " AND (last_used_at IS NULL OR last_used_at < ?)", rows);
  }

  @Override
  public int deleteInactiveBefore(Instant before) {
    return execute("deleting old tokens", "DELETE FROM tokens WHERE expires_at < ? OR revoked_at < ?", before, before);
  }

  /** Deletes every token of a principal: part of deleting a user or a robot, in its transaction. */
  static int deleteTokensOf(JdbcRepository repository, String tenantId, PrincipalType type, String principalId) {
    return repository.execute("deleting tokens of " + type + " " + principalId,
        "DELETE FROM tokens WHERE tenant_id = ? AND principal_type = ? AND principal_id = ?",
        tenantId, type.name(), principalId);
  }

  private static OpaqueToken row(ResultSet rs) throws SQLException {
    return new OpaqueToken(rs.getString("tenant_id"), rs.getString("id"), rs.getBytes("token_hash"),
        TokenKind.valueOf(rs.getString("kind")), PrincipalType.valueOf(rs.getString("principal_type")),
        rs.getString("principal_id"), rs.getString("description"), Sql.fromJson(rs.getString("clusters")),
        Sql.getInstant(rs, "created_at"), Sql.getInstant(rs, "expires_at"), Sql.getInstant(rs, "revoked_at"),
        Sql.getInstant(rs, "last_used_at"), rs.getString("created_by"));
  }
}
