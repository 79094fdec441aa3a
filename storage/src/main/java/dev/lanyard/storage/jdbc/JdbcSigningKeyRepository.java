package dev.lanyard.storage.jdbc;

import dev.lanyard.storage.NotFoundException;
import dev.lanyard.storage.SigningKeyRepository;
import dev.lanyard.storage.model.KeyState;
import dev.lanyard.storage.model.SigningKey;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

final class JdbcSigningKeyRepository extends JdbcRepository implements SigningKeyRepository {
  private static final String COLUMNS = "tenant_id, kid, algorithm, public_key, encrypted_private_key, state,"
      + " created_at, active_from, retire_after, retired_at, unpublish_after";

  JdbcSigningKeyRepository(Connection connection) {
    super(connection);
  }

  @Override
  public void create(SigningKey k) {
    execute("creating signing key " + k.kid() + " in tenant " + k.tenantId(),
        "INSERT INTO signing_keys (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        k.tenantId(), k.kid(), k.algorithm(), k.publicKey(), k.encryptedPrivateKey(), k.state().name(),
        k.createdAt(), k.activeFrom(), k.retireAfter(), k.retiredAt(), k.unpublishAfter());
  }

  @Override
  public Optional<SigningKey> find(String tenantId, String kid) {
    return queryOne("reading signing key " + kid, "SELECT " + COLUMNS + " FROM signing_keys WHERE tenant_id = ? AND kid = ?",
        JdbcSigningKeyRepository::row, tenantId, kid);
  }

  @Override
  public List<SigningKey> list(String tenantId) {
    return query("listing signing keys",
        "SELECT " + COLUMNS + " FROM signing_keys WHERE tenant_id = ? ORDER BY created_at, kid",
        JdbcSigningKeyRepository::row, tenantId);
  }

  /** Replaces state, activeFrom, retireAfter, retiredAt and unpublishAfter; algorithm, key bytes and createdAt stay. */
  @Override
  public void update(SigningKey k) {
    int n = execute("updating signing key " + k.kid() + " in tenant " + k.tenantId(),
        "UPDATE signing_keys SET state = ?, active_from = ?, retire_after = ?, retired_at = ?, unpublish_after = ?"
            + " WHERE tenant_id = ? AND kid = ?",
        k.state().name(), k.activeFrom(), k.retireAfter(), k.retiredAt(), k.unpublishAfter(), k.tenantId(), k.kid());
    if (n == 0) {
      throw new NotFoundException("no signing key " + k.kid() + " in tenant " + k.tenantId());
    }
  }

  @Override
  public void delete(String tenantId, String kid) {
    if (execute("deleting signing key " + kid, "DELETE FROM signing_keys WHERE tenant_id = ? AND kid = ?", tenantId, kid) == 0) {
      throw new NotFoundException("no signing key " + kid + " in tenant " + tenantId);
    }
  }

  private static SigningKey row(ResultSet rs) throws SQLException {
    return new SigningKey(rs.getString("tenant_id"), rs.getString("kid"), rs.getString("algorithm"),
        rs.getBytes("public_key"), rs.getBytes("encrypted_private_key"), KeyState.valueOf(rs.getString("state")),
        Sql.getInstant(rs, "created_at"), Sql.getInstant(rs, "active_from"), Sql.getInstant(rs, "retire_after"),
        Sql.getInstant(rs, "retired_at"), Sql.getInstant(rs, "unpublish_after"));
  }
}
