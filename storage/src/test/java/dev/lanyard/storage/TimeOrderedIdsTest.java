package dev.lanyard.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {
  @Test
  void isAVersion7UuidCarryingItsMillisecond() {
    long at = 1_795_000_000_123L;
    UUID id = UUID.fromString(TimeOrderedIds.next(at));
    assertThat(id.version()).isEqualTo(7);
    assertThat(id.variant()).isEqualTo(2); // RFC 9562's variant 10xx
    assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(at);
  }

  @Test
  void laterMillisecondsSortAfterEarlierOnes() {
    // The point of the class: text order (what the primary key indexes) follows creation time.
    String earlier = TimeOrderedIds.next(1_795_000_000_000L);
    String later = TimeOrderedIds.next(1_795_000_000_001L);
    assertThat(later).isGreaterThan(earlier);
    assertThat(TimeOrderedIds.next(1_795_000_256_000L)).isGreaterThan(later);
  }

  @Test
  void idsOfOneMillisecondDifferInTheirRandomBits() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      assertThat(seen.add(TimeOrderedIds.next(1_795_000_000_000L))).isTrue();
    }
    Set<Long> lowBits = new HashSet<>();
    for (String id : seen) lowBits.add(UUID.fromString(id).getLeastSignificantBits());
    assertThat(lowBits).hasSize(seen.size());
  }

  @Test
  void currentTimeIsUsed() {
    long before = System.currentTimeMillis();
    long stamped = UUID.fromString(TimeOrderedIds.next()).getMostSignificantBits() >>> 16;
    assertThat(stamped).isBetween(before, System.currentTimeMillis());
  }
}
