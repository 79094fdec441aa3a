package dev.lanyard.storage.jdbc;

import dev.lanyard.storage.NotFoundException;
import dev.lanyard.storage.TenantRepository;
import dev.lanyard.storage.model.Tenant;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

final class JdbcTenantRepository extends JdbcRepository implements TenantRepository {
  private static final String COLUMNS = "id, display_name, created_at";

  JdbcTenantRepository(Connection connection) {
    super(connection);
  }

  @Override
  public void create(Tenant t) {
    execute("creating tenant " + t.id(), "INSERT INTO tenants (" + COLUMNS + ") VALUES (?, ?, ?)",
        t.id(), t.displayName(), t.createdAt());
  }

  @Override
  public Optional<Tenant> find(String id) {
    return queryOne("reading tenant " + id, "SELECT " + COLUMNS + " FROM tenants WHERE id = ?", JdbcTenantRepository::row, id);
  }

  @Override
  public List<Tenant> list() {
    return query("listing tenants", "SELECT " + COLUMNS + " FROM tenants ORDER BY id", JdbcTenantRepository::row);
  }

  @Override
  public void update(Tenant t) {
    int n = execute("updating tenant " + t.id(), "UPDATE tenants SET display_name = ? WHERE id = ?", t.displayName(), t.id());
    if (n == 0) {
      throw new NotFoundException("no tenant " + t.id());
    }
  }

  @Override
  public void delete(String id) {
    // Every other table references tenants ON DELETE CASCADE.
    if (execute("deleting tenant " + id, "DELETE FROM tenants WHERE id = ?", id) == 0) {
      throw new NotFoundException("no tenant " + id);
    }
  }

  private static Tenant row(ResultSet rs) throws SQLException {
    return new Tenant(rs.getString("id"), rs.getString("display_name"), Sql.getInstant(rs, "created_at"));
  }
}
