package dev.lanyard.idp.k8s;

import com.github.benmanes.caffeine.cache.Cache;
import dev.lanyard.idp.cache.InlineCaches;
import dev.lanyard.storage.Storage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
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
 * together again. {@code last_used_at} may therefore lag by up to {@link #RESOLUTION} + {@link #INTERVAL}, and
 * longer while the database cannot be written: a batch that fails is put back and tried again with the next.
 *
 * <p>Reviews run on every event loop at once, so the queue is one concurrent map that a flush drains key by key
 * ({@code remove(key, value)}): a use queued while a flush runs is either taken by it or left for the next one,
 * never written into a map the flush has already read.
 */
final class LastUsedRecorder {
  static final Duration INTERVAL = Duration.ofSeconds(5);
  static final Duration RESOLUTION = Duration.ofHours(1);
  private static final Logger log = LoggerFactory.getLogger(LastUsedRecorder.class);

  private final Storage storage;
  /** Uses waiting for the next flush. */
  private final Map<TokenKey, Instant> pending = new ConcurrentHashMap<>();
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
    pending.put(key, at);
  }

  /** Writes what has accumulated (putting it back if that fails); also called on shutdown. */
  Future<Void> flush() {
    if (pending.isEmpty()) return Future.succeededFuture();
    Map<TokenKey, Instant> batch = new HashMap<>();
    for (Map.Entry<TokenKey, Instant> e : pending.entrySet()) {
      if (pending.remove(e.getKey(), e.getValue())) batch.put(e.getKey(), e.getValue());
    }
    Map<String, Map<String, Instant>> byTenant = new HashMap<>();
    batch.forEach((k, at) -> byTenant.computeIfAbsent(k.tenantId(), t -> new HashMap<>()).put(k.tokenId(), at));
    return storage.transaction(s -> {
      for (Map.Entry<String, Map<String, Instant>> e : byTenant.entrySet()) {
        s.tokens().recordLastUsed(e.getKey(), e.getValue());
      }
      return null;
    }).onFailure(err -> {
      log.warn("could not record token use, will retry: {}", err.toString());
      // `recent` keeps these tokens from being queued again for up to an hour: put them back, newest use winning.
      batch.forEach((k, at) -> pending.merge(k, at, (queued, failed) -> queued.isAfter(failed) ? queued : failed));
    }).mapEmpty();
  }

  /** A record rather than a joined string: this runs on every review. */
  private record TokenKey(String tenantId, String tokenId) {}

  Future<Void> close() {
    vertx.cancelTimer(timer);
    return flush();
  }
}
