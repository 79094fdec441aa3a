package dev.lanyard.idp.tokens;

import dev.lanyard.storage.Storage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the token endpoint's dead tokens now and then: refresh families (with their tokens) that expired or
 * were revoked more than {@link #KEEP} ago, and the revocations of access tokens that expired as long ago (an
 * expired token needs no revocation). Without this the tables would only grow. Dead families are kept a day so
 * that introspection, audit and support questions ("why was I logged out?") can still see them for a while.
 */
public final class TokenJanitor {
  private static final Logger log = LoggerFactory.getLogger(TokenJanitor.class);
  static final Duration KEEP = Duration.ofDays(1);
  static final Duration EVERY = Duration.ofMinutes(10);

  private final Storage storage;
  private final Clock clock;

  public TokenJanitor(Storage storage, Clock clock) {
    this.storage = storage;
    this.clock = clock;
  }

  /** Runs {@link #sweep} every 10 minutes on {@code vertx}'s timer (the work itself runs on a storage thread). */
  public void schedule(Vertx vertx) {
    vertx.setPeriodic(EVERY.toMillis(), id -> sweep()
        .onFailure(err -> log.warn("deleting dead refresh tokens and access token revocations failed: {}", err.toString())));
  }

  /** One sweep; returns how many access token revocations and refresh families it deleted. */
  public Future<Integer> sweep() {
    Instant before = clock.instant().minus(KEEP);
    return storage.transaction(s -> s.revokedAccessTokens().deleteExpiredBefore(before)
        + s.refreshTokens().deleteInactiveBefore(before));
  }
}
