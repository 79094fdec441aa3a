package dev.lanyard.idp.admin;

import dev.lanyard.storage.model.AdminRole;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The administrator behind an admin API request: a user holding admin roles.
 *
 * @param scopes {@link AdminRole#GLOBAL} and/or ids of the tenants this user manages
 * @param tokenId the admin token it authenticated with, or null (login)
 */
record AdminPrincipal(String tenantId, String userId, String username, Set<String> scopes, String tokenId) {
  AdminPrincipal {
    scopes = Set.copyOf(scopes);
  }

  static AdminPrincipal of(String tenantId, String userId, String username, List<AdminRole> roles, String tokenId) {
    Set<String> scopes = new TreeSet<>();
    roles.forEach(r -> scopes.add(r.scope()));
    return new AdminPrincipal(tenantId, userId, username, scopes, tokenId);
  }

  boolean isGlobal() {
    return scopes.contains(AdminRole.GLOBAL);
  }

  boolean canManage(String tenant) {
    return isGlobal() || scopes.contains(tenant);
  }

  /** The audit actor: {@code user:tenant/username}. */
  String actor() {
    return "user:" + tenantId + "/" + username;
  }
}
