package dev.lanyard.idp.k8s;

import com.github.benmanes.caffeine.cache.Cache;
import dev.lanyard.idp.cache.InlineCaches;
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
 * waits for (or causes) a database write. A token's first use is written within {@link #INTERVAL}; after that
 * its use is written again at most once per {@link #RESOLUTION} (an hour: {@code last_used_at} answers "is
 * this token still in use", at the granularity AWS gives for access keys).
 *
 * <p>Why so rarely: each write updates a random row of a table that may hold a million tokens, so the
 * database reads and rewrites a page nobody else needs. With a one-minute resolution, a thousand busy tokens
 * cost a thousand such updates a minute, and on a 2-core machine the page churn (old-generation growth, long
 * young collections, a full collection) pushed the webhook's p99 from under 2 ms to 15-20 ms whenever a flush
 * came due (bench/RESULTS.md). Each token's quiet period is also drawn between half and all of the
 * resolution, so tokens first used together (all of a cluster's, when its API server starts) do not come due
 * together again. {@code last_used_at} may therefore lag by up to {@link #RESOLUTION} + {@link #INTERVAL}.
 */
final class LastUsedRecorder {
  static final Duration INTERVAL = Duration.ofSeconds(5);
  static final Duration RESOLUTION = Duration.ofHours(1);
  private static final Logger log = LoggerFactory.getLogger(LastUsedRecorder.class);

  private final Storage storage;
  private volatile Map<String, Map<String, Instant>> pending = new ConcurrentHashMap<>();
  private final long timer;
  private final Vertx vertx;
  /** (tenant, token id) -> when its use was last queued for writing; entries expire after {@link #RESOLUTION}. */
  private final Cache<TokenKey, Instant> recent = InlineCaches.builder()
      .maximumSize(200_000).expireAfter(InlineCaches.expireWithin(RESOLUTION)).build();

  LastUsedRecorder(Vertx vertx, Storage storage) {
    this.vertx = vertx;
    this.storage = storage;
    this.timer = vertx.setPeriodic(INTERVAL.toMillis(), id -> flush());
  }

  void used(String tenantId, String tokenId, Instant at) {
    TokenKey key = new TokenKey(tenantId, tokenId);
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

  /** A record rather than a joined string: this runs on every review. */
  private record TokenKey(String tenantId, String tokenId) {}

  Future<Void> close() {
    vertx.cancelTimer(timer);
    return flush();
  }
}
