package dev.lanyard.idp.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PkceTest {
  @Test
  @DisplayName("RFC 7636 appendix B's example verifies; anything else, or a malformed verifier, does not")
  void s256() {
    String verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    String challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    assertThat(Pkce.verifiesS256(verifier, challenge)).isTrue();
    assertThat(Pkce.verifiesS256(verifier.replace('d', 'e'), challenge)).isFalse();
    assertThat(Pkce.verifiesS256(challenge, challenge)).isFalse();
    assertThat(Pkce.verifiesS256("short", challenge)).isFalse();
    assertThat(Pkce.verifiesS256(verifier + "!", challenge)).isFalse();
    assertThat(Pkce.verifiesS256(null, challenge)).isFalse();
    assertThat(Pkce.verifiesS256("a".repeat(129), challenge)).isFalse();
  }
}
