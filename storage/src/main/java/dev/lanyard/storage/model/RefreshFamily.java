package dev.lanyard.storage.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * One refreshable grant (RFC 6749 §6, OAuth 2.0 Security BCP §4.14.2): a user's consent to a client, carried
 * by a chain of refresh tokens that replace each other on every use. Revoking the family ends every token of
 * the chain; one person on several machines holds several families.
 *
 * @param scopes what the user granted: a refresh may ask for fewer, never more
 * @param sessionId the login session the grant came from, or null (password grant)
 * @param authTime when the user last authenticated (the ID token's {@code auth_time})
 * @param expiresAt absolute end of the family, however often it is refreshed
 * @param revokedAt null while live
 * @param revokeReason why it was revoked, e.g. {@code replay}, {@code revoked}; null while live
 */
public record RefreshFamily(String tenantId, String id, String clientId, String userId, Set<String> scopes,
    String sessionId, Instant authTime, Instant createdAt, Instant expiresAt, Instant revokedAt,
    String revokeReason) {
  public RefreshFamily {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(userId, "userId");
    scopes = Set.copyOf(scopes);
    Objects.requireNonNull(authTime, "authTime");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /** Neither revoked nor past its absolute expiry at {@code now}. */
  public boolean isLiveAt(Instant now) {
    return revokedAt == null && now.isBefore(expiresAt);
  }
}
