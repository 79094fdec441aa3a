package dev.lanyard.storage.model;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One RFC 8628 device authorization request: what a device (kubelogin on a headless box) asked for, and what
 * the user decided on the verification page.
 *
 * @param id public identifier, for audit events and logs (never the device code)
 * @param deviceCodeHash SHA-256 of the device code, which has 256 random bits and is never stored
 * @param userCode the normalised user code: upper-case letters without separators, unique in the tenant while
 *     this row exists
 * @param clientId the client that asked; only it may redeem the device code
 * @param scopes the requested scopes Lanyard knows, in request order
 * @param intervalSeconds how long the client must wait between polls (raised by every {@code slow_down})
 * @param lastPolledAt null until the first poll
 * @param userId who approved or denied; null while pending
 * @param authTime when that user last typed their password (the ID token's {@code auth_time}); null while pending
 * @param sessionId the login session the user decided in; null while pending
 * @param decidedAt when the user approved or denied; null while pending
 */
public record DeviceAuthorization(String tenantId, String id, byte[] deviceCodeHash, String userCode,
    String clientId, List<String> scopes, Instant createdAt, Instant expiresAt, int intervalSeconds,
    Instant lastPolledAt, DeviceAuthorizationStatus status, String userId, Instant authTime, String sessionId,
    Instant decidedAt) {
  public DeviceAuthorization {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(deviceCodeHash, "deviceCodeHash");
    Objects.requireNonNull(userCode, "userCode");
    Objects.requireNonNull(clientId, "clientId");
    scopes = List.copyOf(scopes);
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(status, "status");
    if (intervalSeconds < 1) throw new IllegalArgumentException("intervalSeconds must be at least 1");
  }

  /** A new request, pending and never polled. */
  public static DeviceAuthorization pending(String tenantId, String id, byte[] deviceCodeHash, String userCode,
      String clientId, List<String> scopes, Instant createdAt, Instant expiresAt, int intervalSeconds) {
    return new DeviceAuthorization(tenantId, id, deviceCodeHash, userCode, clientId, scopes, createdAt, expiresAt,
        intervalSeconds, null, DeviceAuthorizationStatus.PENDING, null, null, null, null);
  }

  /** Whether it has run out at {@code now} (expiry is exclusive: at {@code expiresAt} it is expired). */
  public boolean isExpiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }

  // Records compare arrays by reference; authorizations are equal when their bytes are.
  @Override
  public boolean equals(Object o) {
    return o instanceof DeviceAuthorization d && tenantId.equals(d.tenantId) && id.equals(d.id)
        && Arrays.equals(deviceCodeHash, d.deviceCodeHash) && userCode.equals(d.userCode)
        && clientId.equals(d.clientId) && scopes.equals(d.scopes) && createdAt.equals(d.createdAt)
        && expiresAt.equals(d.expiresAt) && intervalSeconds == d.intervalSeconds
        && Objects.equals(lastPolledAt, d.lastPolledAt) && status == d.status && Objects.equals(userId, d.userId)
        && Objects.equals(authTime, d.authTime) && Objects.equals(sessionId, d.sessionId)
        && Objects.equals(decidedAt, d.decidedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tenantId, id);
  }

  /** Never prints the user code or the device code hash. */
  @Override
  public String toString() {
    return "DeviceAuthorization[" + tenantId + "/" + id + " client " + clientId + " " + status + "]";
  }
}
