package dev.lanyard.storage;

import dev.lanyard.storage.model.LoginSession;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Browser login sessions. Every method is scoped to one tenant. */
public interface LoginSessionRepository {
  /** Fails with {@link AlreadyExistsException} for a taken id; {@link NotFoundException} for an unknown tenant or user. */
  void create(LoginSession session);
  /** The session, ended and expired ones included. */
  Optional<LoginSession> find(String tenantId, String sessionId);
  /** Moves lastSeenAt forward to {@code at} (never back); returns whether the session is still there and not ended. */
  boolean touch(String tenantId, String sessionId, Instant at);
  /** Sets endedAt unless already ended; returns whether it changed. Unknown ids return false. */
  boolean end(String tenantId, String sessionId, Instant at);

  /** The user's sessions not ended and not past their absolute end at {@code now}, newest first. */
  List<LoginSession> openOfUser(String tenantId, String userId, Instant now);
  /** Ends every open session of a user; returns how many. */
  int endAllOf(String tenantId, String userId, Instant at);
  /** Deletes sessions (of every tenant) that expired or ended before {@code before}; returns how many. */
  int deleteInactiveBefore(Instant before);
}
