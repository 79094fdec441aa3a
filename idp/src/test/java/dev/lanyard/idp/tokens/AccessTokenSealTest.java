package dev.lanyard.idp.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.storage.model.PrincipalType;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessTokenSealTest {
  private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
  private final byte[] key = randomKey();
  private final AccessTokenSeal seal = new AccessTokenSeal(key);

  private static byte[] randomKey() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return k;
  }

  private static AccessToken token(String tenant, String familyId) {
    return new AccessToken(tenant, "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "kubelogin",
        "0193a1b2-0000-7000-8000-0000000000c1", PrincipalType.USER, "0193a1b2-0000-7000-8000-000000000001",
        Set.of("openid", "groups", "offline_access"), familyId, "0193a1b2-0000-7000-8000-0000000000e5", NOW,
        NOW.plusSeconds(300));
  }

  @Test
  void whatIsSealedOpensAtItsTenantWithEveryClaim() {
    AccessToken user = token("default", "0193a1b2-0000-7000-8000-00000000000f");
    assertThat(seal.open("default", seal.seal(user))).contains(user);
    AccessToken robot = new AccessToken("team-ä", "id-2", "ci", "ci-uid", PrincipalType.ROBOT, "robot-1", Set.of(),
        null, null, NOW, NOW.plusSeconds(60));
    assertThat(seal.open("team-ä", seal.seal(robot))).contains(robot);
    // Another process with the same key (another replica sharing the master key) opens it too.
    assertThat(new AccessTokenSeal(key.clone()).open("default", seal.seal(user))).contains(user);
  }

  @Test
  void tokensAreOpaqueUniqueAndShortEnoughForAHeader() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      String t = seal.seal(token("default", null));
      assertThat(t).startsWith("lyat_").matches("lyat_[A-Za-z0-9_-]+").hasSizeLessThan(400);
      assertThat(seen.add(t)).as("a fresh nonce every time").isTrue();
      assertThat(AccessTokenSeal.isWellFormed(t)).isTrue();
      // Nothing of the claims shows through.
      String decoded = new String(Base64.getUrlDecoder().decode(t.substring(5)), StandardCharsets.ISO_8859_1);
      assertThat(decoded).doesNotContain("kubelogin").doesNotContain("openid").doesNotContain("0193a1b2");
    }
  }

  @Test
  void anotherTenantAnotherKeyOrAnyAlterationOpensNothing() {
    String t = seal.seal(token("default", null));
    assertThat(seal.open("other", t)).isEmpty();
    assertThat(new AccessTokenSeal(randomKey()).open("default", t)).isEmpty();
    for (int i = 5; i < t.length(); i++) {
      char other = t.charAt(i) == 'A' ? 'B' : 'A';
      String altered = t.substring(0, i) + other + t.substring(i + 1);
      // Unpadded base64's last character has bits no byte uses: changing only those alters nothing.
      if (java.util.Arrays.equals(Base64.getUrlDecoder().decode(altered.substring(5)),
          Base64.getUrlDecoder().decode(t.substring(5)))) {
        continue;
      }
      assertThat(seal.open("default", altered)).as("altered at %d", i).isEmpty();
    }
    for (int cut = 5; cut < t.length(); cut += 7) {
      assertThat(seal.open("default", t.substring(0, cut))).as("truncated to %d", cut).isEmpty();
    }
  }

  @Test
  void garbageOfEveryShapeOpensNothingAndThrowsNothing() {
    assertThat(seal.open("default", null)).isEmpty();
    assertThat(seal.open("default", "")).isEmpty();
    assertThat(seal.open("default", "lyat_")).isEmpty();
    assertThat(seal.open("default", "lyat_!!!not base64!!!")).isEmpty();
    assertThat(seal.open("default", "lyat_" + "A".repeat(200))).isEmpty();
    assertThat(seal.open("default", "lyat_" + "A".repeat(1_000_000))).isEmpty();
    assertThat(seal.open("default", "lyk_" + "A".repeat(49))).isEmpty();
    assertThat(seal.open("default", "lyat_\u00e9\u0000\uffff")).isEmpty();
    for (String malformed : new String[] {null, "", "lyat_", "lyat_not-a-token", "lyat_" + "A".repeat(2_100),
        "lyat_" + "A".repeat(100) + "+/", "lyk_" + "A".repeat(100)}) {
      assertThat(AccessTokenSeal.isWellFormed(malformed)).as(malformed).isFalse();
    }
    // The smallest token seal can make is well formed.
    assertThat(AccessTokenSeal.isWellFormed(seal.seal(new AccessToken("t", "", "", "", PrincipalType.ROBOT, "",
        Set.of(), null, null, NOW, NOW)))).isTrue();
    // A future version byte is refused, not misread.
    String t = seal.seal(token("default", null));
    byte[] raw = Base64.getUrlDecoder().decode(t.substring(5));
    raw[0] = 2;
    assertThat(seal.open("default", "lyat_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw))).isEmpty();
  }
}
