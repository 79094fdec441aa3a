package dev.lanyard.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EntityTagsTest {
  private static final String TAG = "\"abc\"";

  @Test
  void matchesExactListWeakAndStar() {
    assertThat(EntityTags.matches("\"abc\"", TAG)).isTrue();
    assertThat(EntityTags.matches("W/\"abc\"", TAG)).isTrue();
    assertThat(EntityTags.matches("\"x\", W/\"y\" ,\"abc\"", TAG)).isTrue();
    assertThat(EntityTags.matches("*", TAG)).isTrue();
    assertThat(EntityTags.matches(" * ", TAG)).isTrue();
  }

  @Test
  void rejectsOthersAndGarbage() {
    assertThat(EntityTags.matches("\"abcd\"", TAG)).isFalse();
    assertThat(EntityTags.matches("abc", TAG)).isFalse();
    assertThat(EntityTags.matches("\"ab", TAG)).isFalse();
    assertThat(EntityTags.matches("W/", TAG)).isFalse();
    assertThat(EntityTags.matches("", TAG)).isFalse();
    assertThat(EntityTags.matches("garbage, \"abc\"", TAG)).isTrue();
    assertThat(EntityTags.matches("\"\"", TAG)).isFalse();
  }
}
