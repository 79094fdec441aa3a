package dev.lanyard.storage;

import java.time.Instant;

/**
 * The token endpoint's access tokens that were revoked before they expired. The tokens themselves are never
 * stored: each carries its own claims, sealed by the issuing process (idp's {@code AccessTokenSeal}), so minting
 * one writes nothing. A token is recorded here only when it is revoked (RFC 7009, or spent by the admin console's
 * sign-in), and only until it expires. Every method is scoped to one tenant.
 */
public interface RevokedAccessTokenRepository {
  /**
   * Records the token as revoked until {@code expiresAt}; returns false when it already was. Two transactions
   * revoking the same token at the same moment: one of them may fail with {@link AlreadyExistsException}.
   */
  boolean add(String tenantId, String tokenId, Instant expiresAt, Instant revokedAt);

  /** Whether the token was revoked. One primary-key lookup. */
  boolean contains(String tenantId, String tokenId);

  /** Forgets revocations of tokens that expired before {@code before}; returns how many. */
  int deleteExpiredBefore(Instant before);
}
