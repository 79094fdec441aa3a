package dev.lanyard.storage.model;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

/**
 * An OAuth access token from the token endpoint (RFC 6749 §1.4): opaque, stored only as its SHA-256, good for
 * userinfo and introspection, never for the TokenReview webhook.
 *
 * @param clientId the client it was issued to
 * @param principalType a user (every user grant) or a robot (client_credentials)
 * @param familyId the refresh family it was issued with, or null
 * @param revokedAt null while not revoked
 */
public record AccessToken(String tenantId, String id, byte[] hash, String clientId, PrincipalType principalType,
    String principalId, Set<String> scopes, String familyId, Instant createdAt, Instant expiresAt,
    Instant revokedAt) {
  public AccessToken {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(principalType, "principalType");
    Objects.requireNonNull(principalId, "principalId");
    scopes = Set.copyOf(scopes);
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
    return o instanceof AccessToken t && tenantId.equals(t.tenantId) && id.equals(t.id)
        && Arrays.equals(hash, t.hash) && clientId.equals(t.clientId) && principalType == t.principalType
        && principalId.equals(t.principalId) && scopes.equals(t.scopes) && Objects.equals(familyId, t.familyId)
        && createdAt.equals(t.createdAt) && expiresAt.equals(t.expiresAt) && Objects.equals(revokedAt, t.revokedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tenantId, id);
  }

  @Override
  public String toString() {
    return "AccessToken[" + tenantId + "/" + id + " " + principalType + ":" + principalId + " via " + clientId + "]";
  }
}
