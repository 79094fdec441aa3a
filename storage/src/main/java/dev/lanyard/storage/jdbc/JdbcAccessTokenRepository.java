package dev.lanyard.storage.jdbc;

import dev.lanyard.storage.AccessTokenRepository;
import dev.lanyard.storage.model.AccessToken;
import dev.lanyard.storage.model.PrincipalType;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * Access tokens; the principal is stored in user_id or robot_id. Only family_id has a foreign key (V6): the
 * delete of a user, robot or client calls {@link #deleteOf} in its transaction, the tenant's delete its own.
 */
final class JdbcAccessTokenRepository extends JdbcRepository implements AccessTokenRepository {
  private static final String COLUMNS = "tenant_id, id, token_hash, client_id, user_id, robot_id, scopes, family_id,"
      + " created_at, expires_at, revoked_at";

  JdbcAccessTokenRepository(Connection connection) {
    super(connection);
  }

  @Override
  public void create(AccessToken t) {
    boolean user = t.principalType() == PrincipalType.USER;
    execute("creating access token " + t.id() + " in tenant " + t.tenantId(),
        "INSERT INTO access_tokens (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", t.tenantId(), t.id(),
        t.hash(), t.clientId(), user ? t.principalId() : null, user ? null : t.principalId(), Sql.scopes(t.scopes()),
        t.familyId(), t.createdAt(), t.expiresAt(), t.revokedAt());
  }

  @Override
  public Optional<AccessToken> findByHash(String tenantId, byte[] hash) {
    return queryOne("reading access token by hash",
        "SELECT " + COLUMNS + " FROM access_tokens WHERE token_hash = ? AND tenant_id = ?",
        JdbcAccessTokenRepository::row, hash, tenantId);
  }

  @Override
  public boolean revoke(String tenantId, String tokenId, Instant at) {
    return execute("revoking access token " + tokenId,
        "UPDATE access_tokens SET revoked_at = ? WHERE tenant_id = ? AND id = ? AND revoked_at IS NULL",
        at, tenantId, tokenId) > 0;
  }

  @Override
  public int revokeFamily(String tenantId, String familyId, Instant at) {
    return execute("revoking access tokens of refresh family " + familyId,
        "UPDATE access_tokens SET revoked_at = ? WHERE tenant_id = ? AND family_id = ? AND revoked_at IS NULL",
        at, tenantId, familyId);
  }

  @Override
  public int deleteInactiveBefore(Instant before) {
    return execute("deleting old access tokens", "DELETE FROM access_tokens WHERE expires_at < ? OR revoked_at < ?",
        before, before);
  }

  /**
   * Deletes the access tokens a user, robot or client holds ({@code column} is user_id, robot_id or client_id);
   * returns how many. A scan: no index serves it, so that minting a token stays cheap.
   */
  static int deleteOf(JdbcRepository repository, String tenantId, String column, String id) {
    if (!column.equals("user_id") && !column.equals("robot_id") && !column.equals("client_id")) {
      throw new IllegalArgumentException("not a holder column of access_tokens: " + column);
    }
    return repository.execute("deleting access tokens of " + column + " " + id,
        "DELETE FROM access_tokens WHERE tenant_id = ? AND " + column + " = ?", tenantId, id);
  }

  private static AccessToken row(ResultSet rs) throws SQLException {
    String userId = rs.getString("user_id");
    return new AccessToken(rs.getString("tenant_id"), rs.getString("id"), rs.getBytes("token_hash"),
        rs.getString("client_id"), userId != null ? PrincipalType.USER : PrincipalType.ROBOT,
        userId != null ? userId : rs.getString("robot_id"), Sql.parseScopes(rs.getString("scopes")),
        rs.getString("family_id"), Sql.getInstant(rs, "created_at"), Sql.getInstant(rs, "expires_at"),
        Sql.getInstant(rs, "revoked_at"));
  }
}
