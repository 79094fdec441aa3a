package dev.lanyard.idp.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import de.mkammerer.argon2.Argon2;
import de.mkammerer.argon2.Argon2Factory;
import de.mkammerer.argon2.Argon2Factory.Argon2Types;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** libsodium's argon2id must be interchangeable with argon2-jvm's: same PHC strings, same answers. */
class SodiumArgon2idTest {
  private static final Argon2Params PARAMS = new Argon2Params(2048, 2, 1);
  private static final String PASSWORD = "corréct hørse 🐴";
  private final Argon2 libargon2 = Argon2Factory.create(Argon2Types.ARGON2id);

  private static SodiumArgon2id sodium() {
    // lazysodium-java carries libsodium for Linux x86-64 (where this project runs its tests), so it must load
    return SodiumArgon2id.instance().orElseThrow(() -> new AssertionError("libsodium did not load"));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void hashesThatLibsodiumMakesVerifyWithLibargon2() {
    String hash = sodium().hash(utf8(PASSWORD), PARAMS);

    assertThat(hash).startsWith("$argon2id$v=19$m=2048,t=2,p=1$");
    Argon2Hash parsed = Argon2Hash.parse(hash).orElseThrow();
    assertThat(parsed).extracting(Argon2Hash::type, Argon2Hash::version, Argon2Hash::memoryKiB,
        Argon2Hash::iterations, Argon2Hash::parallelism).containsExactly("argon2id", 19, 2048, 2, 1);
    assertThat(parsed.saltBytes()).isEqualTo(16);
    assertThat(parsed.hashBytes()).isEqualTo(32);
    assertThat(libargon2.verify(hash, PASSWORD.toCharArray(), StandardCharsets.UTF_8)).isTrue();
    assertThat(libargon2.verify(hash, "corréct hørse".toCharArray(), StandardCharsets.UTF_8)).isFalse();
  }

  @Test
  void hashesThatLibargon2MakesVerifyWithLibsodium() {
    String hash = libargon2.hash(PARAMS.iterations(), PARAMS.memoryKiB(), 1, PASSWORD.toCharArray(),
        StandardCharsets.UTF_8);

    assertThat(SodiumArgon2id.canVerify(Argon2Hash.parse(hash).orElseThrow())).isTrue();
    assertThat(sodium().verify(hash, utf8(PASSWORD))).isTrue();
    assertThat(sodium().verify(hash, utf8(PASSWORD + " "))).isFalse();
    assertThat(sodium().verify(hash, new byte[0])).isFalse();
  }

  @Test
  void aTamperedHashNeverVerifies() {
    String hash = sodium().hash(utf8(PASSWORD), PARAMS);
    int last = hash.length() - 1;
    String tampered = hash.substring(0, last) + (hash.charAt(last) == 'A' ? 'B' : 'A');

    assertThat(sodium().verify(tampered, utf8(PASSWORD))).isFalse();
    assertThat(sodium().verify(hash.replace("t=2", "t=3"), utf8(PASSWORD))).isFalse();
  }

  @Test
  void leavesWhatLibsodiumCannotDoToLibargon2() {
    assertThat(SodiumArgon2id.canHash(new Argon2Params(2048, 2, 2))).isFalse();
    assertThat(SodiumArgon2id.canHash(PARAMS)).isTrue();
    String twoLanes = libargon2.hash(1, 2048, 2, PASSWORD.toCharArray(), StandardCharsets.UTF_8);
    String argon2i = Argon2Factory.create(Argon2Types.ARGON2i).hash(3, 2048, 1, PASSWORD.toCharArray(),
        StandardCharsets.UTF_8);
    String shortOutput = "$argon2id$v=19$m=2048,t=1,p=1$c29tZXNhbHRzYWx0$aGFzaGhhc2g";
    String version16 = "$argon2id$m=2048,t=1,p=1$c29tZXNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA";

    for (String hash : new String[] {twoLanes, argon2i, shortOutput, version16}) {
      assertThat(SodiumArgon2id.canVerify(Argon2Hash.parse(hash).orElseThrow())).as(hash).isFalse();
    }
  }
}
