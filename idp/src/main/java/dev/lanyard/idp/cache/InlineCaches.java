package dev.lanyard.idp.cache;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The builder for the caches that request paths read (tokens, principals, clients, webhook callers): Caffeine
 * caches whose housekeeping runs on the thread that used the cache.
 *
 * <p>Why: by default Caffeine hands its housekeeping (replaying reads into its eviction policy, expiring
 * entries) to {@code ForkJoinPool.commonPool()}. Under 26,000 token reviews a second that woke a pool thread
 * about 1,700 times a second, and on two cores that thread competes with the event loops for a CPU. Done
 * inline, the same work is a short batch on an event loop now and then, with no thread to wake. It never
 * blocks: nothing here has a removal listener or a loader that does I/O.
 */
public final class InlineCaches {
  private InlineCaches() {}

  public static Caffeine<Object, Object> builder() {
    return Caffeine.newBuilder().executor(Runnable::run);
  }

  /**
   * Each entry expires between half and all of {@code max} after it was written, drawn at random. Entries written
   * together (every token of a cluster on its API server's first requests, every principal after a restart) then
   * do not expire together: with one fixed lifetime, a thousand busy tokens came due in the same instant and their
   * reloads queued the webhook behind the database for seconds, every five minutes (bench/RESULTS.md).
   */
  public static Expiry<Object, Object> expireWithin(Duration max) {
    long full = max.toNanos();
    return new Expiry<>() {
      @Override
      public long expireAfterCreate(Object key, Object value, long currentTime) {
        return full / 2 + ThreadLocalRandom.current().nextLong(full / 2 + 1);
      }

      @Override
      public long expireAfterUpdate(Object key, Object value, long currentTime, long currentDuration) {
        return expireAfterCreate(key, value, currentTime);
      }

      @Override
      public long expireAfterRead(Object key, Object value, long currentTime, long currentDuration) {
        return currentDuration;
      }
    };
  }
}
