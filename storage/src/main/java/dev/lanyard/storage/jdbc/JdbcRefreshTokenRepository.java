package dev.lanyard.storage.jdbc;

import dev.lanyard.storage.RefreshTokenRepository;
import dev.lanyard.storage.model.RefreshFamily;
import dev.lanyard.storage.model.RefreshToken;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Refresh families and tokens. A use of a token locks its family's row first ({@code SELECT ... FOR UPDATE},
 * supported alike by H2 and PostgreSQL) and only then reads the token: under READ COMMITTED every statement
 * sees what was committed before it started, so a use that waited for another one sees its rotation.
 */
final class JdbcRefreshTokenRepository extends JdbcRepository implements RefreshTokenRepository {
  private static final String FAMILY_COLUMNS = "tenant_id, id, client_id, user_id, scopes, session_id, auth_time,"
      + " created_at, expires_at, revoked_at, revoke_reason";
  private static final String TOKEN_COLUMNS = "tenant_id, id, token_hash, family_id, created_at, expires_at, rotated_at";

  JdbcRefreshTokenRepository(Connection connection) {
    super(connection);
  }

  @Override
  public void createFamily(RefreshFamily f, RefreshToken first) {
    if (!f.id().equals(first.familyId()) || !f.tenantId().equals(first.tenantId())) {
      throw new IllegalArgumentException("the first token must belong to the family");
    }
    execute("creating refresh family " + f.id() + " in tenant " + f.tenantId(),
        "INSERT INTO refresh_families (" + FAMILY_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        f.tenantId(), f.id(), f.clientId(), f.userId(), Sql.scopes(f.scopes()), f.sessionId(), f.authTime(),
        f.createdAt(), f.expiresAt(), f.revokedAt(), f.revokeReason());
    insert(first);
  }

  @Override
  public Optional<RefreshToken.WithFamily> lockByHash(String tenantId, byte[] hash) {
    // family_id never changes, so reading it unlocked is safe; the token itself is read again after the lock.
    Optional<String> familyId = queryOne("reading refresh token by hash",
        "SELECT family_id FROM refresh_tokens WHERE token_hash = ? AND tenant_id = ?", rs -> rs.getString(1),
        hash, tenantId);
    if (familyId.isEmpty()) {
      return Optional.empty();
    }
    Optional<RefreshFamily> family = queryOne("locking refresh family " + familyId.get(),
        "SELECT " + FAMILY_COLUMNS + " FROM refresh_families WHERE tenant_id = ? AND id = ? FOR UPDATE",
        JdbcRefreshTokenRepository::family, tenantId, familyId.get());
    Optional<RefreshToken> token = queryOne("reading refresh token by hash",
        "SELECT " + TOKEN_COLUMNS + " FROM refresh_tokens WHERE token_hash = ? AND tenant_id = ?",
        JdbcRefreshTokenRepository::token, hash, tenantId);
    // Both gone: deleted (with its user, client or tenant) between the first read and the lock.
    if (family.isEmpty() || token.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new RefreshToken.WithFamily(token.get(), family.get()));
  }

  @Override
  public Optional<RefreshFamily> findFamily(String tenantId, String familyId) {
    return queryOne("reading refresh family " + familyId,
        "SELECT " + FAMILY_COLUMNS + " FROM refresh_families WHERE tenant_id = ? AND id = ?",
        JdbcRefreshTokenRepository::family, tenantId, familyId);
  }

  @Override
  public boolean rotate(String tenantId, String tokenId, Instant at, RefreshToken successor) {
    int n = execute("rotating refresh token " + tokenId,
        "UPDATE refresh_tokens SET rotated_at = ? WHERE tenant_id = ? AND id = ? AND rotated_at IS NULL",
        at, tenantId, tokenId);
    if (n == 0) {
      return false;
    }
    insert(successor);
    return true;
  }

  @Override
  public boolean revokeFamily(String tenantId, String familyId, Instant at, String reason) {
    return execute("revoking refresh family " + familyId,
        "UPDATE refresh_families SET revoked_at = ?, revoke_reason = ? WHERE tenant_id = ? AND id = ?"
            + " AND revoked_at IS NULL", at, reason, tenantId, familyId) > 0;
  }

  @Override
  public int revokeFamiliesOfSession(String tenantId, String sessionId, Instant at, String reason) {
    return execute("revoking refresh families of session " + sessionId,
        "UPDATE refresh_families SET revoked_at = ?, revoke_reason = ? WHERE tenant_id = ? AND session_id = ?"
            + " AND revoked_at IS NULL", at, reason, tenantId, sessionId);
  }

  @Override
  public List<RefreshFamily> liveFamiliesOfUser(String tenantId, String userId, Instant now) {
    return query("listing refresh families of user " + userId,
        "SELECT " + FAMILY_COLUMNS + " FROM refresh_families WHERE tenant_id = ? AND user_id = ?"
            + " AND revoked_at IS NULL AND expires_at > ? ORDER BY created_at DESC, id DESC",
        JdbcRefreshTokenRepository::family, tenantId, userId, now);
  }

  @Override
  public List<RefreshToken> tokensOfFamily(String tenantId, String familyId) {
    return query("listing refresh tokens of family " + familyId,
        "SELECT " + TOKEN_COLUMNS + " FROM refresh_tokens WHERE tenant_id = ? AND family_id = ?"
            + " ORDER BY created_at, id", JdbcRefreshTokenRepository::token, tenantId, familyId);
  }

  @Override
  public int deleteInactiveBefore(Instant before) {
    // refresh_tokens references refresh_families ON DELETE CASCADE.
    return execute("deleting old refresh families",
        "DELETE FROM refresh_families WHERE expires_at < ? OR revoked_at < ?", before, before);
  }

  private void insert(RefreshToken t) {
    execute("creating refresh token " + t.id() + " in tenant " + t.tenantId(),
        "INSERT INTO refresh_tokens (" + TOKEN_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)", t.tenantId(), t.id(),
        t.hash(), t.familyId(), t.createdAt(), t.expiresAt(), t.rotatedAt());
  }

  private static RefreshFamily family(ResultSet rs) throws SQLException {
    return new RefreshFamily(rs.getString("tenant_id"), rs.getString("id"), rs.getString("client_id"),
        rs.getString("user_id"), Sql.parseScopes(rs.getString("scopes")), rs.getString("session_id"),
        Sql.getInstant(rs, "auth_time"), Sql.getInstant(rs, "created_at"), Sql.getInstant(rs, "expires_at"),
        Sql.getInstant(rs, "revoked_at"), rs.getString("revoke_reason"));
  }

  private static RefreshToken token(ResultSet rs) throws SQLException {
    return new RefreshToken(rs.getString("tenant_id"), rs.getString("id"), rs.getBytes("token_hash"),
        rs.getString("family_id"), Sql.getInstant(rs, "created_at"), Sql.getInstant(rs, "expires_at"),
        Sql.getInstant(rs, "rotated_at"));
  }
}
