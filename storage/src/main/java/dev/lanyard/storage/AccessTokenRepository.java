package dev.lanyard.storage;

import dev.lanyard.storage.model.AccessToken;
import java.time.Instant;
import java.util.Optional;

/** The token endpoint's access tokens. Every method is scoped to one tenant. */
public interface AccessTokenRepository {
  /**
   * Fails with {@link AlreadyExistsException} for a taken id or hash; {@link NotFoundException} for an unknown
   * refresh family. The tenant, client and principal are not checked: the caller has just read them in the same
   * transaction (this is written on every token request, so it skips lookups that cannot fail). Deleting the
   * tenant, user, robot or client deletes the token.
   */
  void create(AccessToken token);

  /** The tenant's token whose SHA-256 is {@code hash}, revoked and expired ones included. One index lookup. */
  Optional<AccessToken> findByHash(String tenantId, byte[] hash);

  /** Sets revokedAt unless already revoked; returns whether it changed (false for an unknown id too). */
  boolean revoke(String tenantId, String tokenId, Instant at);

  /** Revokes every unrevoked access token issued with the refresh family; returns how many. */
  int revokeFamily(String tenantId, String familyId, Instant at);

  /** Deletes tokens that expired or were revoked before {@code before}; returns how many. */
  int deleteInactiveBefore(Instant before);
}
