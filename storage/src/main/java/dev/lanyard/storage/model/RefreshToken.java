package dev.lanyard.storage.model;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One refresh token of a {@link RefreshFamily}. Only the SHA-256 of the token string is stored (256 random
 * bits, so a fast hash is enough).
 *
 * @param expiresAt idle expiry: unusable from then on unless replaced before
 * @param rotatedAt when it was exchanged for its successor; null while it is the family's newest
 */
public record RefreshToken(String tenantId, String id, byte[] hash, String familyId, Instant createdAt,
    Instant expiresAt, Instant rotatedAt) {
  public RefreshToken {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(familyId, "familyId");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /** A token together with its family, as one use of it needs them. */
  public record WithFamily(RefreshToken token, RefreshFamily family) {}

  // Records compare arrays by reference; tokens are equal when their bytes are.
  @Override
  public boolean equals(Object o) {
    return o instanceof RefreshToken t && tenantId.equals(t.tenantId) && id.equals(t.id)
        && Arrays.equals(hash, t.hash) && familyId.equals(t.familyId) && createdAt.equals(t.createdAt)
        && expiresAt.equals(t.expiresAt) && Objects.equals(rotatedAt, t.rotatedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tenantId, id);
  }

  @Override
  public String toString() {
    return "RefreshToken[" + tenantId + "/" + id + " family " + familyId + "]";
  }
}
