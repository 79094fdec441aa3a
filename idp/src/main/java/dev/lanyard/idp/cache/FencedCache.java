package dev.lanyard.idp.cache;

import com.github.benmanes.caffeine.cache.Cache;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * A cache of database reads in which an invalidation cannot be undone by a read that was already under way.
 *
 * <p>The race it closes: a miss reads the database on a worker and caches what it read when the read returns.
 * When a change (a revocation, a disabled user) commits and its change-feed invalidation runs between that read
 * and that put, the put brings the old record back, and it outlives the change until it expires. So every
 * invalidation first counts itself, then removes; a loader notes the count before its read ({@link #stamp}) and
 * caches its result only while the count is unchanged ({@link #put}). The interleavings, invalidation I (bump,
 * then remove) against loader L (stamp, read, put):
 *
 * <ul>
 *   <li>I commits before L's read starts: L reads the new state; caching it is right.
 *   <li>I bumps before L checks the count: L does not cache.
 *   <li>I bumps after L checked: L's check and write run under the key's lock in the map. An invalidation of that
 *       key waits for that lock, so it comes after the write and removes it. A sweep ({@link #invalidateIf},
 *       {@link #invalidateAll}) may pass the key while the write is in flight and miss it; L then checks the count
 *       again after its write and removes its own entry. Only reads between that write and that removal, a few
 *       instructions on L's thread, can see the old record.
 * </ul>
 *
 * <p>A read still under way when any key is invalidated is not cached: the next miss reads again. The review that
 * did the read may still use what it read; only its caching must not outlive the change. Hits cost what the
 * plain cache costs.
 */
public final class FencedCache<K, V> {
  private final Cache<K, V> cache;
  private final BooleanSupplier current;
  private final AtomicLong invalidations = new AtomicLong();

  /**
   * @param current whether invalidations are arriving ({@link dev.lanyard.storage.Storage#changesCurrent}):
   *     while false the cache neither answers nor keeps anything, since a change may have passed it by
   */
  public FencedCache(Cache<K, V> cache, BooleanSupplier current) {
    this.cache = cache;
    this.current = current;
  }

  /** The cached value, or null. */
  public V getIfPresent(K key) {
    return current.getAsBoolean() ? cache.getIfPresent(key) : null;
  }

  /** To take before the read whose result is then {@link #put}. */
  public long stamp() {
    return invalidations.get();
  }

  /** Caches {@code value}, read after {@code stamp} was taken, unless something was invalidated since. */
  public void put(K key, V value, long stamp) {
    if (invalidations.get() != stamp || !current.getAsBoolean()) return;
    // computeIfAbsent: a value another loader put stays (it passed the same check).
    cache.asMap().computeIfAbsent(key, k -> invalidations.get() == stamp ? value : null);
    if (invalidations.get() != stamp) cache.asMap().remove(key, value);
  }

  public void invalidate(K key) {
    invalidations.incrementAndGet();
    cache.invalidate(key);
  }

  public void invalidateIf(Predicate<? super K> which) {
    invalidations.incrementAndGet();
    cache.asMap().keySet().removeIf(which);
  }

  public void invalidateAll() {
    invalidations.incrementAndGet();
    cache.invalidateAll();
  }
}
