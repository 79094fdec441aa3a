package dev.lanyard.idp.k8s;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
 * waits for (or causes) a database write. A token's use is written at most once per {@link #RESOLUTION}:
 * {@code last_used_at} says "used within the last minute", and a token presented thousands of times a
 * minute costs one row update a minute instead of one every {@link #INTERVAL} (on a 2-core machine those
 * writes and the database's background work took CPU from the event loops). {@code last_used_at} may
 * therefore lag by up to {@link #RESOLUTION} + {@link #INTERVAL}.
 */
final class LastUsedRecorder {
  static final Duration INTERVAL = Duration.ofSeconds(5);
  static final Duration RESOLUTION = Duration.ofMinutes(1);
  private static final Logger log = LoggerFactory.getLogger(LastUsedRecorder.class);

  private final Storage storage;
  private volatile Map<String, Map<String, Instant>> pending = new ConcurrentHashMap<>();
  private final long timer;
  private final Vertx vertx;
  /** tenant/token id -> when its use was last queued for writing; entries expire after {@link #RESOLUTION}. */
  private final Cache<String, Instant> recent = Caffeine.newBuilder()
      .maximumSize(200_000).expireAfterWrite(RESOLUTION).build();

  LastUsedRecorder(Vertx vertx, Storage storage) {
    this.vertx = vertx;
    this.storage = storage;
    this.timer = vertx.setPeriodic(INTERVAL.toMillis(), id -> flush());
  }

  void used(String tenantId, String tokenId, Instant at) {
    String key = tenantId + "/" + tokenId;
    if (recent.getIfPresent(key) != null) return;
    recent.put(key, at);
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
