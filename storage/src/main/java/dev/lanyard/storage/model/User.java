package dev.lanyard.storage.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A person who logs in. {@code id} is the ID token's {@code sub}: random, stable, never reused.
 *
 * @param email may be null
 * @param displayName may be null
 * @param passwordHash argon2id PHC string, or null when the user has no password
 */
public record User(
    String tenantId,
    String id,
    String username,
    String email,
    boolean emailVerified,
    String displayName,
    boolean enabled,
    String passwordHash,
    Instant createdAt,
    Instant updatedAt) {
  public User {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  public User withPasswordHash(String newHash, Instant now) {
    return new User(tenantId, id, username, email, emailVerified, displayName, enabled, newHash, createdAt, now);
  }
}
