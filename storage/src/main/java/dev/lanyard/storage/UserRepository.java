package dev.lanyard.storage;

import dev.lanyard.storage.model.User;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** People of a tenant. Every method is scoped to one tenant: a user of another tenant is never seen. */
public interface UserRepository {
  /** Fails with {@link AlreadyExistsException} when the id or the username is taken in the tenant. */
  void create(User user);
  Optional<User> find(String tenantId, String userId);
  /** Exact, case-sensitive match on the username. */
  Optional<User> findByUsername(String tenantId, String username);
  /** Case-insensitive match on the email address; empty when none or several users have it. */
  Optional<User> findByEmail(String tenantId, String email);
  /** One page of the tenant's users ordered by username. */
  List<User> list(String tenantId, int offset, int limit);
  long count(String tenantId);
  /** Replaces every mutable field (all but tenant, id, createdAt). Fails with {@link NotFoundException}. */
  void update(User user);
  /**
   * Replaces the password hash only if it is still {@code expectedHash}: a rehash with new parameters must not
   * undo a password change or any other change made since the hash was read. False when the hash (or the user)
   * is gone.
   */
  boolean replacePasswordHash(String tenantId, String userId, String expectedHash, String newHash, Instant updatedAt);
  /** Deletes the user, its group memberships, admin roles and tokens. Fails with {@link NotFoundException}. */
  void delete(String tenantId, String userId);
}
