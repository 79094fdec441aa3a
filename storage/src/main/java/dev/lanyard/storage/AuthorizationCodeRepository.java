package dev.lanyard.storage;

import dev.lanyard.storage.model.AuthorizationCode;
import java.time.Instant;
import java.util.Optional;

/** Authorization codes, by the SHA-256 of the code. Every method is scoped to one tenant. */
public interface AuthorizationCodeRepository {
  /** Fails with {@link AlreadyExistsException} for a taken hash; {@link NotFoundException} for an unknown tenant, client or user. */
  void create(AuthorizationCode code);

  /**
   * Marks the code used at {@code at} and returns it, atomically: of any number of concurrent redemptions of one
   * code, exactly one gets {@code firstUse = true} (one {@code UPDATE ... WHERE used_at IS NULL}, row count checked).
   *
   * @return empty for an unknown hash (in this tenant); else the code as stored after the redemption, with
   *     {@code firstUse} false when it had been used before (a replay)
   */
  Optional<Redemption> redeem(String tenantId, byte[] codeHash, Instant at);

  /** Deletes codes (of every tenant) that expired before {@code before}; returns how many. */
  int deleteExpiredBefore(Instant before);

  /** The outcome of {@link #redeem}. */
  record Redemption(AuthorizationCode code, boolean firstUse) {}
}
