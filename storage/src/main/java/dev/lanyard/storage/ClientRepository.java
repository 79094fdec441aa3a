package dev.lanyard.storage;

import dev.lanyard.storage.model.OAuthClient;
import java.util.List;
import java.util.Optional;

/** Registered OAuth clients of a tenant. Every method is scoped to one tenant. */
public interface ClientRepository {
  /** Fails with {@link AlreadyExistsException} when the client id is taken in the tenant. */
  void create(OAuthClient client);
  Optional<OAuthClient> find(String tenantId, String clientId);
  /** The tenant's clients ordered by id. */
  List<OAuthClient> list(String tenantId);
  /** Replaces every mutable field. Fails with {@link NotFoundException}. */
  void update(OAuthClient client);
  /** Fails with {@link NotFoundException}. */
  void delete(String tenantId, String clientId);
}
