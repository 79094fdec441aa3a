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
    if ((principalType == null) != (principalId == null)) {
      throw new IllegalArgumentException("principalType and principalId go together");
    }
    // Optional filters are appended rather than written as "? IS NULL OR ...", which PostgreSQL cannot type
    // and which keeps either database from using the principal index.
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM tokens WHERE tenant_id = ?");
    List<Object> params = new ArrayList<>(List.of(tenantId));
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
    sql.append(" ORDER BY created_at DESC, id DESC OFFSET ? ROWS FETCH FIRST ? ROWS ONLY");
    params.add(offset);
    params.add(limit);
    return query("listing tokens", sql.toString(), JdbcTokenRepository::row, params.toArray());
  }

  @Override
  public long countActive(String tenantId, Instant now) {
    return count("counting tokens",
        "SELECT COUNT(*) FROM tokens WHERE tenant_id = ? AND revoked_at IS NULL AND expires_at > ?", tenantId, now);
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
