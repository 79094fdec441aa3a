package dev.lanyard.storage;

import dev.lanyard.storage.model.RefreshFamily;
import dev.lanyard.storage.model.RefreshToken;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Refresh tokens and their rotation families. Every method is scoped to one tenant. */
public interface RefreshTokenRepository {
  /**
   * Starts a family with its first token. Fails with {@link NotFoundException} for an unknown tenant, client or
   * user, {@link AlreadyExistsException} for a taken id or hash.
   */
  void createFamily(RefreshFamily family, RefreshToken first);

  /**
   * The tenant's token whose SHA-256 is {@code hash}, with its family, rotated and revoked ones included; the
   * family's row stays locked until the transaction ends, so concurrent uses of one family (rotation, replay,
   * revocation) run one after the other and each sees what the one before committed.
   */
  Optional<RefreshToken.WithFamily> lockByHash(String tenantId, byte[] hash);

  Optional<RefreshFamily> findFamily(String tenantId, String familyId);

  /**
   * Marks {@code tokenId} rotated at {@code at} and stores its successor (same family), unless the token was
   * rotated already: then nothing changes and the answer is false. Exactly one of two concurrent calls for one
   * token returns true.
   */
  boolean rotate(String tenantId, String tokenId, Instant at, RefreshToken successor);

  /** Revokes a live family with a reason; returns whether it changed (false when already revoked or unknown). */
  boolean revokeFamily(String tenantId, String familyId, Instant at, String reason);

  /** Revokes every live family that came from the login session; returns how many. */
  int revokeFamiliesOfSession(String tenantId, String sessionId, Instant at, String reason);

  /** The user's families neither revoked nor expired at {@code now}, newest first. */
  List<RefreshFamily> liveFamiliesOfUser(String tenantId, String userId, Instant now);

  /** The family's tokens, oldest first. */
  List<RefreshToken> tokensOfFamily(String tenantId, String familyId);

  /** Deletes families (and their tokens) that expired or were revoked before {@code before}; returns how many. */
  int deleteInactiveBefore(Instant before);
}
