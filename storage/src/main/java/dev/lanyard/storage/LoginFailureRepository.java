package dev.lanyard.storage;

import dev.lanyard.storage.model.LoginFailures;
import java.time.Instant;
import java.util.Optional;

/** Failed-login counters for the login throttle, shared by every replica. Every method is scoped to one tenant. */
public interface LoginFailureRepository {
  Optional<LoginFailures> find(String tenantId, String kind, String subject);

  /**
   * Counts one more failure at {@code at}, atomically (concurrent failures are all counted). A count whose last
   * failure was before {@code forgetBefore} starts again at 1. Does not change {@code lockedUntil}.
   *
   * @return the counter after this failure
   */
  LoginFailures recordFailure(String tenantId, String kind, String subject, Instant at, Instant forgetBefore);

  /** Sets lockedUntil of an existing counter. */
  void lockUntil(String tenantId, String kind, String subject, Instant until);

  /** Forgets the subject's failures (after a successful login). */
  void clear(String tenantId, String kind, String subject);

  /** Deletes counters (of every tenant) whose last failure and lock both ended before {@code before}; returns how many. */
  int deleteIdleBefore(Instant before);
}
