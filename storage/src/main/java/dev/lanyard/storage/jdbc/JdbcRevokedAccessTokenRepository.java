package dev.lanyard.storage.jdbc;

import dev.lanyard.storage.RevokedAccessTokenRepository;
import java.sql.Connection;
import java.time.Instant;

/** Revoked access tokens (V7); the tenant's delete cascades to them. */
final class JdbcRevokedAccessTokenRepository extends JdbcRepository implements RevokedAccessTokenRepository {
  JdbcRevokedAccessTokenRepository(Connection connection) {
    super(connection);
  }

  @Override
  public boolean add(String tenantId, String tokenId, Instant expiresAt, Instant revokedAt) {
    if (contains(tenantId, tokenId)) return false;
    execute("recording revoked access token " + tokenId + " of tenant " + tenantId,
        "INSERT INTO revoked_access_tokens (tenant_id, token_id, expires_at, revoked_at) VALUES (?, ?, ?, ?)",
        tenantId, tokenId, expiresAt, revokedAt);
    return true;
  }

  @Override
  public boolean contains(String tenantId, String tokenId) {
    return count("reading revoked access token " + tokenId,
        "SELECT COUNT(*) FROM revoked_access_tokens WHERE tenant_id = ? AND token_id = ?", tenantId, tokenId) > 0;
  }

  @Override
  public int deleteExpiredBefore(Instant before) {
    return execute("deleting revocations of expired access tokens",
        "DELETE FROM revoked_access_tokens WHERE expires_at < ?", before);
  }
}
