package dev.lanyard.idp.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The interleavings of a loader (stamp, read, put) and an invalidation (count, remove), each forced step by step:
 * the "read" is whatever the test does between {@link FencedCache#stamp} and {@link FencedCache#put}.
 */
class FencedCacheTest {
  /** The ways a change reaches a cache: its key, a sweep over a tenant's keys, everything (a change-feed resync). */
  private static final List<Consumer<FencedCache<String, String>>> INVALIDATIONS = List.of(
      c -> c.invalidate("t1/k"),
      c -> c.invalidateIf(k -> k.startsWith("t1/")),
      FencedCache::invalidateAll);

  private static FencedCache<String, String> cache() {
    return new FencedCache<>(InlineCaches.builder().maximumSize(100).build(), () -> true);
  }

  @Test
  @DisplayName("nothing changed while reading: the read is cached")
  void quietReadIsCached() {
    FencedCache<String, String> cache = cache();
    long stamp = cache.stamp();
    cache.put("t1/k", "v1", stamp);
    assertThat(cache.getIfPresent("t1/k")).isEqualTo("v1");
  }

  @Test
  @DisplayName("invalidated after the read, before its put: the old value is not cached, the next read is")
  void invalidationBetweenReadAndPut() {
    for (Consumer<FencedCache<String, String>> invalidation : INVALIDATIONS) {
      FencedCache<String, String> cache = cache();
      long stamp = cache.stamp();
      // ... the read returns "old" here, then the change commits and is invalidated ...
      invalidation.accept(cache);
      cache.put("t1/k", "old", stamp);
      assertThat(cache.getIfPresent("t1/k")).isNull();

      long next = cache.stamp();
      cache.put("t1/k", "new", next);
      assertThat(cache.getIfPresent("t1/k")).isEqualTo("new");
    }
  }

  @Test
  @DisplayName("invalidated after the put: removed as with any cache")
  void invalidationAfterPut() {
    for (Consumer<FencedCache<String, String>> invalidation : INVALIDATIONS) {
      FencedCache<String, String> cache = cache();
      cache.put("t1/k", "old", cache.stamp());
      invalidation.accept(cache);
      assertThat(cache.getIfPresent("t1/k")).isNull();
    }
  }

  @Test
  @DisplayName("another key invalidated during the read: not cached either (a later miss reads again)")
  void anyInvalidationDuringTheReadSkipsTheCache() {
    FencedCache<String, String> cache = cache();
    long stamp = cache.stamp();
    cache.invalidate("t2/other");
    cache.put("t1/k", "v1", stamp);
    assertThat(cache.getIfPresent("t1/k")).isNull();
  }

  @Test
  @DisplayName("a value another loader cached stays when a later-stamped put finds it")
  void anEarlierLoadersValueStays() {
    FencedCache<String, String> cache = cache();
    long first = cache.stamp();
    long second = cache.stamp();
    cache.put("t1/k", "first", first);
    cache.put("t1/k", "second", second);
    assertThat(cache.getIfPresent("t1/k")).isEqualTo("first");
  }

  @Test
  @Timeout(10)
  @DisplayName("a sweep that passes the key while the put is being written: the put's re-check removes it")
  void sweepDuringThePut() throws Exception {
    for (Consumer<FencedCache<String, String>> sweep : INVALIDATIONS.subList(1, 3)) {
      @SuppressWarnings("unchecked")
      FencedCache<String, String>[] cache = new FencedCache[1];
      // Caffeine asks the expiry for the new entry's lifetime inside the map's compute, after the put's check and
      // before the entry is visible: the sweep runs there, on another thread, and finishes without seeing it.
      Expiry<String, String> sweepingExpiry = new Expiry<>() {
        @Override
        public long expireAfterCreate(String key, String value, long now) {
          Thread sweeper = new Thread(() -> sweep.accept(cache[0]));
          sweeper.start();
          try {
            sweeper.join();
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
          return Duration.ofMinutes(5).toNanos();
        }

        @Override
        public long expireAfterUpdate(String key, String value, long now, long current) {
          return current;
        }

        @Override
        public long expireAfterRead(String key, String value, long now, long current) {
          return current;
        }
      };
      cache[0] = new FencedCache<>(InlineCaches.builder().maximumSize(100).expireAfter(sweepingExpiry).build(),
          () -> true);
      long stamp = cache[0].stamp();
      cache[0].put("t1/k", "old", stamp);
      assertThat(cache[0].getIfPresent("t1/k")).isNull();
    }
  }

  @Test
  void whileChangesAreNotCurrentItNeitherAnswersNorKeeps() {
    java.util.concurrent.atomic.AtomicBoolean current = new java.util.concurrent.atomic.AtomicBoolean(true);
    FencedCache<String, String> cache = new FencedCache<>(InlineCaches.builder().maximumSize(100).build(),
        current::get);
    cache.put("t1/k", "kept", cache.stamp());
    current.set(false);
    assertThat(cache.getIfPresent("t1/k")).as("a change may have passed the cache by").isNull();
    cache.put("t1/other", "read while not current", cache.stamp());
    current.set(true);
    assertThat(cache.getIfPresent("t1/other")).isNull();
    assertThat(cache.getIfPresent("t1/k")).isEqualTo("kept"); // dropping it is the RESYNC's job
  }
}
