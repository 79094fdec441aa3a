package dev.lanyard.idp.k8s;

import dev.lanyard.storage.Storage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers when tokens were last used and writes that in one batch every few seconds, so a review never
 * waits for (or causes) a database write. {@code last_used_at} may therefore lag by up to {@link #INTERVAL}.
 */
final class LastUsedRecorder {
  static final Duration INTERVAL = Duration.ofSeconds(5);
  private static final Logger log = LoggerFactory.getLogger(LastUsedRecorder.class);

  private final Storage storage;
  private volatile Map<String, Map<String, Instant>> pending = new ConcurrentHashMap<>();
  private final long timer;
  private final Vertx vertx;

  LastUsedRecorder(Vertx vertx, Storage storage) {
    this.vertx = vertx;
    this.storage = storage;
    this.timer = vertx.setPeriodic(INTERVAL.toMillis(), id -> flush());
  }

  void used(String tenantId, String tokenId, Instant at) {
    pending.computeIfAbsent(tenantId, t -> new ConcurrentHashMap<>()).put(tokenId, at);
  }

  /** Writes what has accumulated; also called on shutdown. */
  Future<Void> flush() {
    Map<String, Map<String, Instant>> batch = pending;
    if (batch.isEmpty()) return Future.succeededFuture();
    pending = new ConcurrentHashMap<>();
    List<Map.Entry<String, Map<String, Instant>>> entries = new ArrayList<>(batch.entrySet());
    return storage.transaction(s -> {
      for (Map.Entry<String, Map<String, Instant>> e : entries) s.tokens().recordLastUsed(e.getKey(), e.getValue());
      return null;
    }).onFailure(err -> log.warn("could not record token use: {}", err.toString())).mapEmpty();
  }

  Future<Void> close() {
    vertx.cancelTimer(timer);
    return flush();
  }
}
