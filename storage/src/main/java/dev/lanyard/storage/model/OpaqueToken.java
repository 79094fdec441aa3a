package dev.lanyard.storage.model;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A revocable opaque token minted by Lanyard. Only the SHA-256 of the token string is stored (the token has
 * 256 random bits, so a fast hash is as safe as a slow one and keeps reviews fast).
 *
 * @param id public identifier for listing and revoking (never the secret)
 * @param hash SHA-256 of the full token string; unique across all tenants
 * @param clusters the {@link Cluster#uid uids} of the clusters the token is valid on; empty means every cluster of
 *     the tenant. A uid whose cluster was deleted matches no cluster, not even one registered later under the
 *     same name
 * @param expiresAt never null: every token expires
 * @param revokedAt null while not revoked
 * @param lastUsedAt null until first used; written in batches, within seconds of a token's first use and then at
 *     most once every 30 to 60 minutes, so it may lag behind the latest use by up to an hour and a few seconds
 *     (longer while the database cannot be written)
 * @param createdBy who minted it (audit actor string), may be null
 * @param description may be null
 */
public record OpaqueToken(String tenantId, String id, byte[] hash, TokenKind kind, PrincipalType principalType,
    String principalId, String description, List<String> clusters, Instant createdAt, Instant expiresAt,
    Instant revokedAt, Instant lastUsedAt, String createdBy) {
  public OpaqueToken {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(principalType, "principalType");
    Objects.requireNonNull(principalId, "principalId");
    clusters = List.copyOf(clusters);
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /** Usable at {@code now}: not revoked and not expired. */
  public boolean isActiveAt(Instant now) {
    return revokedAt == null && now.isBefore(expiresAt);
  }

  // Records compare arrays by reference; tokens are equal when their bytes are.
  @Override
  public boolean equals(Object o) {
    return o instanceof OpaqueToken t && tenantId.equals(t.tenantId) && id.equals(t.id)
        && Arrays.equals(hash, t.hash) && kind == t.kind && principalType == t.principalType
        && principalId.equals(t.principalId) && Objects.equals(description, t.description)
        && clusters.equals(t.clusters) && createdAt.equals(t.createdAt) && expiresAt.equals(t.expiresAt)
        && Objects.equals(revokedAt, t.revokedAt) && Objects.equals(lastUsedAt, t.lastUsedAt)
        && Objects.equals(createdBy, t.createdBy);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tenantId, id);
  }

  @Override
  public String toString() {
    return "OpaqueToken[" + tenantId + "/" + id + " " + kind + " " + principalType + ":" + principalId + "]";
  }
}
