package dev.lanyard.storage;

import dev.lanyard.storage.model.SigningKey;
import java.util.List;
import java.util.Optional;

/** A tenant's token signing keys (private parts encrypted by the caller before they get here). */
public interface SigningKeyRepository {
  /** Fails with {@link AlreadyExistsException} when the kid is taken in the tenant. */
  void create(SigningKey key);
  Optional<SigningKey> find(String tenantId, String kid);
  /** Every key of the tenant, oldest first. */
  List<SigningKey> list(String tenantId);
  /** Replaces state and timestamps (the key material never changes). Fails with {@link NotFoundException}. */
  void update(SigningKey key);
  /** Fails with {@link NotFoundException}. */
  void delete(String tenantId, String kid);
}
