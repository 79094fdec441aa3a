package dev.lanyard.storage;

import dev.lanyard.storage.model.DeviceAuthorization;
import java.time.Instant;
import java.util.Optional;

/**
 * RFC 8628 device authorizations. Every method is scoped to one tenant except the periodic clean-up. State changes
 * are conditional updates, so two requests racing on one authorization never both win.
 */
public interface DeviceAuthorizationRepository {
  /**
   * Stores a new authorization. An expired authorization of the tenant holding the same user code (expired at
   * {@code authorization.createdAt()}) is deleted first, so user codes are unique among the tenant's unexpired ones.
   *
   * @throws AlreadyExistsException when an unexpired authorization holds the user code, or the id or device code
   *     hash is taken: the caller draws new codes and retries in a new transaction
   * @throws NotFoundException for an unknown tenant or client
   */
  void create(DeviceAuthorization authorization);

  Optional<DeviceAuthorization> find(String tenantId, String id);

  /** The authorization with this device code hash, whatever its status, expired ones included. */
  Optional<DeviceAuthorization> findByDeviceCodeHash(String tenantId, byte[] deviceCodeHash);

  /**
   * As {@link #findByDeviceCodeHash}, and locks the row until the transaction ends ({@code SELECT ... FOR UPDATE}),
   * so that concurrent polls of one device code take turns.
   */
  Optional<DeviceAuthorization> lockByDeviceCodeHash(String tenantId, byte[] deviceCodeHash);

  /** The authorization holding this normalised user code, whatever its status, expired ones included. */
  Optional<DeviceAuthorization> findByUserCode(String tenantId, String userCode);

  /**
   * Records a poll of a pending authorization: {@code lastPolledAt = at} and the poll interval from now on.
   * Returns false when there is no such authorization or it is no longer pending.
   */
  boolean recordPoll(String tenantId, String id, Instant at, int intervalSeconds);

  /**
   * PENDING to APPROVED by {@code userId}, if it is still pending and unexpired at {@code at}; returns whether it
   * changed.
   *
   * @param authTime when the user last authenticated
   * @param sessionId the login session the user approved in
   */
  boolean approve(String tenantId, String id, String userId, Instant authTime, String sessionId, Instant at);

  /** PENDING to DENIED by {@code userId}, if it is still pending and unexpired at {@code at}; returns whether it changed. */
  boolean deny(String tenantId, String id, String userId, Instant authTime, String sessionId, Instant at);

  /**
   * APPROVED to CONSUMED, if it is approved and unexpired at {@code at}. Returns true for exactly one caller however
   * many try at once: only that one may issue tokens.
   */
  boolean consume(String tenantId, String id, Instant at);

  /** Deletes authorizations of every tenant that expired before {@code before}; returns how many. */
  int deleteExpiredBefore(Instant before);
}
