package dev.lanyard.storage.jdbc;

import dev.lanyard.storage.ClusterRepository;
import dev.lanyard.storage.NotFoundException;
import dev.lanyard.storage.model.Cluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

final class JdbcClusterRepository extends JdbcRepository implements ClusterRepository {
  private static final String COLUMNS = "tenant_id, id, description, credential_hash, certificate_subject, created_at, uid";

  JdbcClusterRepository(Connection connection) {
    super(connection);
  }

  @Override
  public void create(Cluster c) {
    execute("creating cluster " + c.id() + " in tenant " + c.tenantId(),
        "INSERT INTO clusters (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)", c.tenantId(), c.id(), c.description(),
        c.credentialHash(), c.certificateSubject(), c.createdAt(), c.uid());
  }

  @Override
  public Optional<Cluster> find(String tenantId, String clusterId) {
    return queryOne("reading cluster " + clusterId, "SELECT " + COLUMNS + " FROM clusters WHERE tenant_id = ? AND id = ?",
        JdbcClusterRepository::row, tenantId, clusterId);
  }

  /** Credentials are random, so two clusters sharing one is a mistake; then the first by id answers. */
  @Override
  public Optional<Cluster> findByCredentialHash(String tenantId, byte[] credentialHash) {
    if (credentialHash == null) {
      return Optional.empty();
    }
    return queryOne("reading cluster by credential",
        "SELECT " + COLUMNS + " FROM clusters WHERE tenant_id = ? AND credential_hash = ? ORDER BY id FETCH FIRST 1 ROW ONLY",
        JdbcClusterRepository::row, tenantId, credentialHash);
  }

  @Override
  public List<Cluster> list(String tenantId) {
    return query("listing clusters", "SELECT " + COLUMNS + " FROM clusters WHERE tenant_id = ? ORDER BY id",
        JdbcClusterRepository::row, tenantId);
  }

  @Override
  public void update(Cluster c) {
    int n = execute("updating cluster " + c.id() + " in tenant " + c.tenantId(),
        "UPDATE clusters SET description = ?, credential_hash = ?, certificate_subject = ? WHERE tenant_id = ? AND id = ?",
        c.description(), c.credentialHash(), c.certificateSubject(), c.tenantId(), c.id());
    if (n == 0) {
      throw new NotFoundException("no cluster " + c.id() + " in tenant " + c.tenantId());
    }
  }

  @Override
  public void delete(String tenantId, String clusterId) {
    if (execute("deleting cluster " + clusterId, "DELETE FROM clusters WHERE tenant_id = ? AND id = ?", tenantId, clusterId) == 0) {
      throw new NotFoundException("no cluster " + clusterId + " in tenant " + tenantId);
    }
  }

  private static Cluster row(ResultSet rs) throws SQLException {
    return new Cluster(rs.getString("tenant_id"), rs.getString("id"), rs.getString("description"),
        rs.getBytes("credential_hash"), rs.getString("certificate_subject"), Sql.getInstant(rs, "created_at"),
        rs.getString("uid"));
  }
}
