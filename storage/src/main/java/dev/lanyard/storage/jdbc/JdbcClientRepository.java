package dev.lanyard.storage.jdbc;

import dev.lanyard.storage.ClientRepository;
import dev.lanyard.storage.NotFoundException;
import dev.lanyard.storage.StoreSession;
import dev.lanyard.storage.model.OAuthClient;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** Clients; redirect URIs (in order) and grant types (sorted) are JSON arrays in text columns. */
final class JdbcClientRepository extends JdbcRepository implements ClientRepository {
  private static final String COLUMNS = "tenant_id, id, display_name, secret_hash, redirect_uris, grant_types, created_at, uid";

  private final StoreSession session;

  JdbcClientRepository(Connection connection, StoreSession session) {
    super(connection);
    this.session = session;
  }

  /** Announces a change to an existing client (see {@link ClientRepository}). */
  private void changed(String tenantId, String clientId) {
    session.notifyChange(CHANGE_TOPIC, ClientRepository.changePayload(tenantId, clientId));
  }

  @Override
  public void create(OAuthClient c) {
    execute("creating client " + c.id() + " in tenant " + c.tenantId(),
        "INSERT INTO oauth_clients (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)", c.tenantId(), c.id(),
        c.displayName(), c.secretHash(), Sql.toJson(c.redirectUris()), Sql.toJson(new TreeSet<>(c.grantTypes())),
        c.createdAt(), c.uid());
  }

  @Override
  public Optional<OAuthClient> find(String tenantId, String clientId) {
    return queryOne("reading client " + clientId, "SELECT " + COLUMNS + " FROM oauth_clients WHERE tenant_id = ? AND id = ?",
        JdbcClientRepository::row, tenantId, clientId);
  }

  @Override
  public List<OAuthClient> list(String tenantId) {
    return query("listing clients", "SELECT " + COLUMNS + " FROM oauth_clients WHERE tenant_id = ? ORDER BY id",
        JdbcClientRepository::row, tenantId);
  }

  @Override
  public void update(OAuthClient c) {
    int n = execute("updating client " + c.id() + " in tenant " + c.tenantId(),
        "UPDATE oauth_clients SET display_name = ?, secret_hash = ?, redirect_uris = ?, grant_types = ?"
            + " WHERE tenant_id = ? AND id = ?",
        c.displayName(), c.secretHash(), Sql.toJson(c.redirectUris()), Sql.toJson(new TreeSet<>(c.grantTypes())),
        c.tenantId(), c.id());
    if (n == 0) {
      throw new NotFoundException("no client " + c.id() + " in tenant " + c.tenantId());
    }
    changed(c.tenantId(), c.id());
  }

  @Override
  public void delete(String tenantId, String clientId) {
    if (execute("deleting client " + clientId, "DELETE FROM oauth_clients WHERE tenant_id = ? AND id = ?", tenantId, clientId) == 0) {
      throw new NotFoundException("no client " + clientId + " in tenant " + tenantId);
    }
    // Families, codes and robot links cascade.
    changed(tenantId, clientId);
  }

  @Override
  public Optional<String> robotOf(String tenantId, String clientId) {
    return queryOne("reading the robot of client " + clientId,
        "SELECT robot_id FROM client_robots WHERE tenant_id = ? AND client_id = ?", rs -> rs.getString(1),
        tenantId, clientId);
  }

  /** Delete then insert: the foreign keys turn an unknown client or robot into NotFoundException. */
  @Override
  public void setRobot(String tenantId, String clientId, String robotId) {
    if (!exists("reading client " + clientId, "SELECT id FROM oauth_clients WHERE tenant_id = ? AND id = ?",
        tenantId, clientId)) {
      throw new NotFoundException("no client " + clientId + " in tenant " + tenantId);
    }
    execute("unlinking the robot of client " + clientId, "DELETE FROM client_robots WHERE tenant_id = ? AND client_id = ?",
        tenantId, clientId);
    if (robotId != null) {
      execute("linking client " + clientId + " to robot " + robotId,
          "INSERT INTO client_robots (tenant_id, client_id, robot_id) VALUES (?, ?, ?)", tenantId, clientId, robotId);
    }
    changed(tenantId, clientId);
  }

  private static OAuthClient row(ResultSet rs) throws SQLException {
    return new OAuthClient(rs.getString("tenant_id"), rs.getString("id"), rs.getString("display_name"),
        rs.getString("secret_hash"), Sql.fromJson(rs.getString("redirect_uris")),
        new HashSet<>(Sql.fromJson(rs.getString("grant_types"))), Sql.getInstant(rs, "created_at"),
        rs.getString("uid"));
  }
}
