package dev.lanyard.idp.cache;

import com.github.benmanes.caffeine.cache.Caffeine;

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
}
