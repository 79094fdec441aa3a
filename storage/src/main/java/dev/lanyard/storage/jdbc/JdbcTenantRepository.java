package dev.lanyard.storage.jdbc;

import dev.lanyard.storage.NotFoundException;
import dev.lanyard.storage.TenantRepository;
import dev.lanyard.storage.model.Tenant;
import dev.lanyard.storage.model.TenantSettings;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Tenants; settings live in columns of the tenant's row, lifetimes as ISO-8601 durations. */
final class JdbcTenantRepository extends JdbcRepository implements TenantRepository {
  private static final String COLUMNS = "id, display_name, created_at, username_from, robot_prefix, id_token_lifetime,"
      + " token_default_ttl, token_max_ttl, access_token_lifetime, refresh_idle_lifetime, refresh_absolute_lifetime";

  JdbcTenantRepository(Connection connection) {
    super(connection);
  }

  @Override
  public void create(Tenant t) {
    TenantSettings s = t.settings();
    execute("creating tenant " + t.id(), "INSERT INTO tenants (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        t.id(), t.displayName(), t.createdAt(), s.usernameFrom(), s.robotPrefix(), iso(s.idTokenLifetime()),
        iso(s.tokenDefaultTtl()), iso(s.tokenMaxTtl()), iso(s.accessTokenLifetime()), iso(s.refreshIdleLifetime()),
        iso(s.refreshAbsoluteLifetime()));
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
    TenantSettings s = t.settings();
    int n = execute("updating tenant " + t.id(),
        "UPDATE tenants SET display_name = ?, username_from = ?, robot_prefix = ?, id_token_lifetime = ?,"
            + " token_default_ttl = ?, token_max_ttl = ?, access_token_lifetime = ?, refresh_idle_lifetime = ?,"
            + " refresh_absolute_lifetime = ? WHERE id = ?",
        t.displayName(), s.usernameFrom(), s.robotPrefix(), iso(s.idTokenLifetime()), iso(s.tokenDefaultTtl()),
        iso(s.tokenMaxTtl()), iso(s.accessTokenLifetime()), iso(s.refreshIdleLifetime()),
        iso(s.refreshAbsoluteLifetime()), t.id());
    if (n == 0) {
      throw new NotFoundException("no tenant " + t.id());
    }
  }

  @Override
  public void delete(String id) {
    // Every other table but audit_events references tenants ON DELETE CASCADE.
    if (execute("deleting tenant " + id, "DELETE FROM tenants WHERE id = ?", id) == 0) {
      throw new NotFoundException("no tenant " + id);
    }
  }

  private static String iso(Duration d) {
    return d == null ? null : d.toString();
  }

  private static Duration duration(ResultSet rs, String column) throws SQLException {
    String s = rs.getString(column);
    return s == null ? null : Duration.parse(s);
  }

  private static Tenant row(ResultSet rs) throws SQLException {
    TenantSettings settings = new TenantSettings(rs.getString("username_from"), rs.getString("robot_prefix"),
        duration(rs, "id_token_lifetime"), duration(rs, "token_default_ttl"), duration(rs, "token_max_ttl"),
        duration(rs, "access_token_lifetime"), duration(rs, "refresh_idle_lifetime"),
        duration(rs, "refresh_absolute_lifetime"));
    return new Tenant(rs.getString("id"), rs.getString("display_name"), Sql.getInstant(rs, "created_at"), settings);
  }
}
