package dev.lanyard.idp.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InlineCachesTest {
  @Test
  void lifetimesAreSpreadOverTheSecondHalfOfTheMaximum() {
    Expiry<Object, Object> expiry = InlineCaches.expireWithin(Duration.ofMinutes(5));
    long full = Duration.ofMinutes(5).toNanos();
    Set<Long> tenths = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      long lifetime = expiry.expireAfterCreate("k", "v", 0);
      assertThat(lifetime).isBetween(full / 2, full);
      tenths.add(lifetime * 10 / full);
      // A read keeps the lifetime; an update draws a new one.
      assertThat(expiry.expireAfterRead("k", "v", 0, lifetime)).isEqualTo(lifetime);
      assertThat(expiry.expireAfterUpdate("k", "v", 0, lifetime)).isBetween(full / 2, full);
    }
    assertThat(tenths).containsExactlyInAnyOrder(5L, 6L, 7L, 8L, 9L);
  }

  @Test
  void entriesWrittenTogetherExpireOverAStretchOfTimeNotAtOnce() {
    AtomicLong now = new AtomicLong();
    Ticker ticker = now::get;
    Cache<Integer, String> cache = InlineCaches.builder().ticker(ticker)
        .expireAfter(InlineCaches.expireWithin(Duration.ofMinutes(5))).build();
    for (int i = 0; i < 1_000; i++) cache.put(i, "token " + i);
    now.set(Duration.ofMinutes(2).toNanos());
    assertThat(cache.asMap()).hasSize(1_000);
    now.set(Duration.ofSeconds(225).toNanos()); // halfway through the stretch: about half are gone
    cache.cleanUp();
    assertThat(cache.estimatedSize()).isBetween(400L, 600L);
    now.set(Duration.ofMinutes(5).toNanos() + 1);
    cache.cleanUp();
    assertThat(cache.estimatedSize()).isZero();
  }
}
