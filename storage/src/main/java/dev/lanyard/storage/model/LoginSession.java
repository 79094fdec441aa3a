package dev.lanyard.storage.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A browser's login session in one tenant: the user typed their password at {@code authTime}; the cookie holds
 * the session id and a secret whose SHA-256 is {@code secretHash}.
 *
 * @param lastSeenAt when a page last used the session (for the idle timeout; updated at most once a minute)
 * @param expiresAt the absolute end, whatever the activity
 * @param endedAt when the user logged out (or an admin ended it), else null
 * @param sourceAddress the client address at login, may be null
 * @param userAgent the browser's User-Agent at login (truncated), may be null
 */
public record LoginSession(String tenantId, String id, String userId, byte[] secretHash, Instant authTime,
    Instant createdAt, Instant lastSeenAt, Instant expiresAt, Instant endedAt, String sourceAddress, String userAgent) {
  public LoginSession {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(secretHash, "secretHash");
    Objects.requireNonNull(authTime, "authTime");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(lastSeenAt, "lastSeenAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /** Not ended, not past its absolute end, and used within {@code idle}. */
  public boolean liveAt(Instant now, Duration idle) {
    return endedAt == null && now.isBefore(expiresAt) && now.isBefore(lastSeenAt.plus(idle));
  }

  // Records compare arrays by identity; sessions are compared by value in tests.
  @Override
  public boolean equals(Object o) {
    return o instanceof LoginSession s && tenantId.equals(s.tenantId) && id.equals(s.id) && userId.equals(s.userId)
        && java.util.Arrays.equals(secretHash, s.secretHash) && authTime.equals(s.authTime)
        && createdAt.equals(s.createdAt) && lastSeenAt.equals(s.lastSeenAt) && expiresAt.equals(s.expiresAt)
        && Objects.equals(endedAt, s.endedAt) && Objects.equals(sourceAddress, s.sourceAddress)
        && Objects.equals(userAgent, s.userAgent);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tenantId, id);
  }

  @Override
  public String toString() {
    return "LoginSession[tenantId=" + tenantId + ", id=" + id + ", userId=" + userId + ", authTime=" + authTime
        + ", expiresAt=" + expiresAt + ", endedAt=" + endedAt + "]";
  }
}
