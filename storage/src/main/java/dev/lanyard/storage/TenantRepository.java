package dev.lanyard.storage;

import dev.lanyard.storage.model.Tenant;
import java.util.List;
import java.util.Optional;

/** Tenants: one OIDC issuer each. */
public interface TenantRepository {
  /** Fails with {@link AlreadyExistsException} when the id is taken. */
  void create(Tenant tenant);
  Optional<Tenant> find(String id);
  /** All tenants, ordered by id. */
  List<Tenant> list();
  /** Replaces the display name and settings (the id and creation time never change). Fails with {@link NotFoundException}. */
  void update(Tenant tenant);
  /** Deletes the tenant and everything it owns. Fails with {@link NotFoundException}. */
  void delete(String id);
}
