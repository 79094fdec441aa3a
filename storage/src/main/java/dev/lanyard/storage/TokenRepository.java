package dev.lanyard.storage;

import dev.lanyard.storage.model.OpaqueToken;
import dev.lanyard.storage.model.PrincipalType;
import dev.lanyard.storage.model.TokenKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Opaque tokens. Lookups by hash span tenants (the caller then checks the tenant); all others are scoped to one. */
public interface TokenRepository {
  /** Fails with {@link AlreadyExistsException} for a taken id or hash; {@link NotFoundException} for an unknown tenant. */
  void create(OpaqueToken token);
  /** The token whose SHA-256 is {@code hash}, in any tenant, revoked and expired ones included. One index lookup. */
  Optional<OpaqueToken> findByHash(byte[] hash);
  Optional<OpaqueToken> find(String tenantId, String tokenId);
  /**
   * One page of a tenant's tokens, newest first; read from the database page by page, never the whole list.
   *
   * @param kind only this kind, or null for all
   * @param principalType with principalId: only that principal's tokens; both null for all
   * @param includeInactive whether revoked and expired tokens are listed too
   */
  List<OpaqueToken> list(String tenantId, TokenKind kind, PrincipalType principalType, String principalId,
      boolean includeInactive, Instant now, int offset, int limit);
  /** How many tokens {@link #list} with the same filters holds in all its pages. */
  long count(String tenantId, TokenKind kind, PrincipalType principalType, String principalId,
      boolean includeInactive, Instant now);
  /** Tokens not revoked and not expired at {@code now}. */
  default long countActive(String tenantId, Instant now) {
    return count(tenantId, null, null, null, false, now);
  }
  /** Sets revokedAt unless already revoked; returns whether it changed. Fails with {@link NotFoundException}. */
  boolean revoke(String tenantId, String tokenId, Instant at);
  /** Revokes every active token of a principal; returns how many. */
  int revokeAllOf(String tenantId, PrincipalType principalType, String principalId, Instant at);
  /** Batch update of lastUsedAt (token id per tenant -> instant); unknown ids are ignored; never moves a time back. */
  void recordLastUsed(String tenantId, Map<String, Instant> lastUsed);
  /** Deletes tokens that expired or were revoked before {@code before}; returns how many. */
  int deleteInactiveBefore(Instant before);
}
