package dev.lanyard.idp.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class UserCodeTest {
  @Test
  @DisplayName("generated codes: 8 letters of the RFC 8628 consonant alphabet, every letter used, shown XXXX-XXXX")
  void generated() {
    SecureRandom random = new SecureRandom();
    Map<Character, Integer> seen = new HashMap<>();
    Set<String> codes = new HashSet<>();
    for (int i = 0; i < 2_000; i++) {
      String code = UserCode.generate(random);
      assertThat(code).matches("[BCDFGHJKLMNPQRSTVWXZ]{8}");
      code.chars().forEach(c -> seen.merge((char) c, 1, Integer::sum));
      codes.add(code);
      assertThat(UserCode.display(code)).isEqualTo(code.substring(0, 4) + "-" + code.substring(4));
      assertThat(UserCode.normalise(UserCode.display(code))).contains(code);
    }
    assertThat(seen).hasSize(20);
    // 16,000 letters over 20: each near 800; a biased draw would stray far.
    assertThat(seen.values()).allSatisfy(n -> assertThat(n).isBetween(600, 1_000));
    assertThat(codes).hasSizeGreaterThan(1_990);
  }

  @Test
  @DisplayName("typed codes match ignoring case, dashes and spaces; anything else is no code")
  void normalise() {
    assertThat(UserCode.normalise("WDJB-MJHT")).contains("WDJBMJHT");
    assertThat(UserCode.normalise("wdjb-mjht")).contains("WDJBMJHT");
    assertThat(UserCode.normalise("  wdjb mjht ")).contains("WDJBMJHT");
    assertThat(UserCode.normalise("W-D-J-B-M-J-H-T")).contains("WDJBMJHT");
    assertThat(UserCode.normalise("wdjb\u00a0mjht")).contains("WDJBMJHT");
    assertThat(UserCode.normalise("WDJB-MJH")).isEmpty();
    assertThat(UserCode.normalise("WDJB-MJHTB")).isEmpty();
    assertThat(UserCode.normalise("WDJA-MJHT")).isEmpty(); // a vowel
    assertThat(UserCode.normalise("WDJ1-MJHT")).isEmpty();
    assertThat(UserCode.normalise("WDJB_MJHT")).isEmpty();
    assertThat(UserCode.normalise("WDJBMJHß")).isEmpty();
    assertThat(UserCode.normalise("")).isEmpty();
    assertThat(UserCode.normalise(null)).isEmpty();
    assertThat(UserCode.normalise("-".repeat(65))).isEmpty();
  }
}
