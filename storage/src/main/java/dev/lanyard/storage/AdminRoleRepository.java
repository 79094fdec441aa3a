package dev.lanyard.storage;

import dev.lanyard.storage.model.AdminRole;
import java.util.List;

/** Who administers what. Deleting the user (or its tenant) removes its roles. */
public interface AdminRoleRepository {
  /** Adds a role; adding one twice is not an error. Fails with {@link NotFoundException} for an unknown user or scope tenant. */
  void grant(AdminRole role);
  /** Removes a role; returns whether it existed. */
  boolean revoke(AdminRole role);
  /** The user's roles. */
  List<AdminRole> rolesOf(String userTenantId, String userId);
  /** Every role, ordered by user tenant, user, scope. */
  List<AdminRole> list();
}
