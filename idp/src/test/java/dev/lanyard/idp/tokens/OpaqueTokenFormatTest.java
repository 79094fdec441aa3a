package dev.lanyard.idp.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OpaqueTokenFormatTest {
  @Test
  void generatedTokensAreWellFormedUniqueAndCarryTheirPrefix() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 2_000; i++) {
      String t = OpaqueTokenFormat.KUBERNETES.generate();
      assertThat(t).startsWith("lyk_").hasSize(OpaqueTokenFormat.KUBERNETES.length()).matches("lyk_[0-9A-Za-z]{49}");
      assertThat(OpaqueTokenFormat.KUBERNETES.isWellFormed(t)).isTrue();
      assertThat(seen.add(t)).isTrue();
    }
  }

  @Test
  void everySingleCharacterTypoIsCaught() {
    String t = OpaqueTokenFormat.KUBERNETES.generate();
    for (int i = 4; i < t.length(); i++) {
      char c = t.charAt(i);
      char other = c == 'a' ? 'b' : 'a';
      String typo = t.substring(0, i) + other + t.substring(i + 1);
      assertThat(OpaqueTokenFormat.KUBERNETES.isWellFormed(typo)).as("typo at %d", i).isFalse();
    }
  }

  @Test
  void truncatedWrongPrefixEmptyAndGarbageAreRefused() {
    String t = OpaqueTokenFormat.KUBERNETES.generate();
    assertThat(OpaqueTokenFormat.KUBERNETES.isWellFormed(t.substring(0, t.length() - 1))).isFalse();
    assertThat(OpaqueTokenFormat.KUBERNETES.isWellFormed(t + "0")).isFalse();
    assertThat(OpaqueTokenFormat.ADMIN.isWellFormed(t)).isFalse();
    assertThat(OpaqueTokenFormat.KUBERNETES.isWellFormed("")).isFalse();
    assertThat(OpaqueTokenFormat.KUBERNETES.isWellFormed(null)).isFalse();
    assertThat(OpaqueTokenFormat.KUBERNETES.isWellFormed("lyk_" + "é".repeat(49))).isFalse();
    assertThat(OpaqueTokenFormat.KUBERNETES.isWellFormed("x".repeat(1_000_000))).isFalse();
  }

  @Test
  void base62IsTheNumbersBase62Digits() {
    // Against BigInteger's arithmetic, including the extremes: tokens minted before this encoder stay the same shape.
    java.util.Random random = new java.util.Random(42);
    for (int n = 0; n < 2_000; n++) {
      byte[] bytes = new byte[32];
      random.nextBytes(bytes);
      if (n == 0) java.util.Arrays.fill(bytes, (byte) 0);
      if (n == 1) java.util.Arrays.fill(bytes, (byte) 0xff);
      java.math.BigInteger value = new java.math.BigInteger(1, bytes);
      StringBuilder expected = new StringBuilder();
      for (int i = 0; i < 43; i++) {
        java.math.BigInteger[] qr = value.divideAndRemainder(java.math.BigInteger.valueOf(62));
        expected.insert(0, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".charAt(qr[1].intValue()));
        value = qr[0];
      }
      assertThat(OpaqueTokenFormat.base62(bytes, 43)).isEqualTo(expected.toString());
    }
  }

  @Test
  void tokensMintedByEarlierReleasesStayValid() {
    // Fixed answers, computed once with the first release's code (CRC32 fed a character at a time): a faster
    // checksum must accept exactly the tokens that are already out there.
    OpaqueTokenFormat kubernetes = OpaqueTokenFormat.KUBERNETES;
    assertThat(kubernetes.isWellFormed("lyk_00000000000000000000000000000000000000000004ZV4xt")).isTrue();
    assertThat(kubernetes.isWellFormed("lyk_1TRt5Yl8n3u9m9Ah6oCIdGRbxHvdDw0zwRhQ8oyGT4c070iyQ")).isTrue();
    assertThat(OpaqueTokenFormat.WEBHOOK.isWellFormed("lyw_4iMaBtZ0mQ2eR9xKp7LcVb1nFgHs3jTu8oWyDz5aE6i1yqYto")).isTrue();
    assertThat(kubernetes.isWellFormed("lyk_1TRt5Yl8n3u9m9Ah6oCIdGRbxHvdDw0zwRhQ8oyGT4c070iyR")).isFalse();
  }

  @Test
  void hashIsSha256() {
    assertThat(OpaqueTokenFormat.hash("abc")).hasSize(32);
    assertThat(OpaqueTokenFormat.hash("abc")).isEqualTo(OpaqueTokenFormat.hash("abc"));
    assertThat(OpaqueTokenFormat.byPrefix("lya_x")).contains(OpaqueTokenFormat.ADMIN);
  }
}
