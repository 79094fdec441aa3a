package dev.lanyard.storage.jdbc;

import dev.lanyard.storage.AuthorizationCodeRepository;
import dev.lanyard.storage.model.AuthorizationCode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** Authorization codes by hash; redemption is one conditional UPDATE, so a code is used once whatever the race. */
final class JdbcAuthorizationCodeRepository extends JdbcRepository implements AuthorizationCodeRepository {
  private static final String COLUMNS = "tenant_id, code_hash, client_id, redirect_uri, user_id, session_id, scopes,"
      + " nonce, code_challenge, code_challenge_method, auth_time, created_at, expires_at, used_at";

  JdbcAuthorizationCodeRepository(Connection connection) {
    super(connection);
  }

  @Override
  public void create(AuthorizationCode c) {
    execute("creating authorization code in tenant " + c.tenantId(),
        "INSERT INTO auth_codes (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", c.tenantId(),
        c.codeHash(), c.clientId(), c.redirectUri(), c.userId(), c.sessionId(), Sql.toJson(c.scopes()), c.nonce(),
        c.codeChallenge(), c.codeChallengeMethod(), c.authTime(), c.createdAt(), c.expiresAt(), c.usedAt());
  }

  @Override
  public Optional<Redemption> redeem(String tenantId, byte[] codeHash, Instant at) {
    // The row count decides who redeemed it: under READ COMMITTED a concurrent UPDATE waits for the first one's
    // commit, then re-checks used_at IS NULL and changes nothing.
    int changed = execute("redeeming authorization code", "UPDATE auth_codes SET used_at = ?"
        + " WHERE tenant_id = ? AND code_hash = ? AND used_at IS NULL", at, tenantId, codeHash);
    return queryOne("reading authorization code", "SELECT " + COLUMNS + " FROM auth_codes"
        + " WHERE tenant_id = ? AND code_hash = ?", JdbcAuthorizationCodeRepository::row, tenantId, codeHash)
        .map(code -> new Redemption(code, changed == 1));
  }

  @Override
  public int deleteExpiredBefore(Instant before) {
    return execute("deleting expired authorization codes", "DELETE FROM auth_codes WHERE expires_at < ?", before);
  }

  private static AuthorizationCode row(ResultSet rs) throws SQLException {
    return new AuthorizationCode(rs.getString("tenant_id"), rs.getBytes("code_hash"), rs.getString("client_id"),
        rs.getString("redirect_uri"), rs.getString("user_id"), rs.getString("session_id"),
        Sql.fromJson(rs.getString("scopes")), rs.getString("nonce"), rs.getString("code_challenge"),
        rs.getString("code_challenge_method"), Sql.getInstant(rs, "auth_time"), Sql.getInstant(rs, "created_at"),
        Sql.getInstant(rs, "expires_at"), Sql.getInstant(rs, "used_at"));
  }
}
