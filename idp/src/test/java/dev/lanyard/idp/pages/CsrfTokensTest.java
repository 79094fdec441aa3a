package dev.lanyard.idp.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CsrfTokensTest {
  final MutableClock clock = new MutableClock();
  final CsrfTokens tokens = new CsrfTokens(new byte[32], clock, Duration.ofHours(1), true);

  @Test
  @DisplayName("a token is valid for its tenant, purpose and session only, stale after the form lifetime, and unforgeable")
  void sessionBound() {
    String token = tokens.issueForSession("t1", "consent", "s1");
    assertThat(tokens.checkForSession("t1", "consent", "s1", token)).isEqualTo(CsrfTokens.Check.VALID);
    assertThat(tokens.checkForSession("t2", "consent", "s1", token)).isEqualTo(CsrfTokens.Check.INVALID);
    assertThat(tokens.checkForSession("t1", "logout", "s1", token)).isEqualTo(CsrfTokens.Check.INVALID);
    assertThat(tokens.checkForSession("t1", "consent", "s2", token)).isEqualTo(CsrfTokens.Check.INVALID);
    String issuedAt = token.substring(0, token.indexOf('.'));
    String moved = (Long.parseLong(issuedAt) + 1) + token.substring(token.indexOf('.'));
    assertThat(tokens.checkForSession("t1", "consent", "s1", moved)).isEqualTo(CsrfTokens.Check.INVALID);
    assertThat(tokens.checkForSession("t1", "consent", "s1", null)).isEqualTo(CsrfTokens.Check.INVALID);
    assertThat(tokens.checkForSession("t1", "consent", "s1", "garbage")).isEqualTo(CsrfTokens.Check.INVALID);
    assertThat(tokens.checkForSession("t1", "consent", "s1", "x.y")).isEqualTo(CsrfTokens.Check.INVALID);
    CsrfTokens otherKey = new CsrfTokens(new byte[] {1, 2, 3}, clock, Duration.ofHours(1), true);
    assertThat(otherKey.checkForSession("t1", "consent", "s1", token)).isEqualTo(CsrfTokens.Check.INVALID);
    clock.advance(Duration.ofMinutes(61));
    assertThat(tokens.checkForSession("t1", "consent", "s1", token)).isEqualTo(CsrfTokens.Check.STALE);
  }
}
