package dev.lanyard.storage.jdbc;

import dev.lanyard.storage.AdminRoleRepository;
import dev.lanyard.storage.model.AdminRole;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Admin roles. A role scoped to one tenant also stores that tenant in scope_tenant_id, whose foreign key
 * removes the role with the tenant (and makes granting a role on an unknown tenant fail with NotFound).
 */
final class JdbcAdminRoleRepository extends JdbcRepository implements AdminRoleRepository {
  JdbcAdminRoleRepository(Connection connection) {
    super(connection);
  }

  /** Check-then-insert, like {@link JdbcGroupRepository#addMember}; unknown users and tenants fail the foreign keys. */
  @Override
  public void grant(AdminRole role) {
    if (!exists("reading admin role", "SELECT scope FROM admin_roles WHERE user_tenant_id = ? AND user_id = ? AND scope = ?",
        role.userTenantId(), role.userId(), role.scope())) {
      execute("granting admin role " + role.scope() + " to user " + role.userId(),
          "INSERT INTO admin_roles (user_tenant_id, user_id, scope, scope_tenant_id) VALUES (?, ?, ?, ?)",
          role.userTenantId(), role.userId(), role.scope(), role.isGlobal() ? null : role.scope());
    }
  }

  @Override
  public boolean revoke(AdminRole role) {
    return execute("revoking admin role " + role.scope() + " of user " + role.userId(),
        "DELETE FROM admin_roles WHERE user_tenant_id = ? AND user_id = ? AND scope = ?",
        role.userTenantId(), role.userId(), role.scope()) > 0;
  }

  @Override
  public List<AdminRole> rolesOf(String userTenantId, String userId) {
    return query("reading admin roles of user " + userId,
        "SELECT user_tenant_id, user_id, scope FROM admin_roles WHERE user_tenant_id = ? AND user_id = ? ORDER BY scope",
        JdbcAdminRoleRepository::row, userTenantId, userId);
  }

  @Override
  public List<AdminRole> list() {
    return query("listing admin roles",
        "SELECT user_tenant_id, user_id, scope FROM admin_roles ORDER BY user_tenant_id, user_id, scope",
        JdbcAdminRoleRepository::row);
  }

  private static AdminRole row(ResultSet rs) throws SQLException {
    return new AdminRole(rs.getString("user_tenant_id"), rs.getString("user_id"), rs.getString("scope"));
  }
}
