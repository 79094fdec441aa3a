package dev.lanyard.idp.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.RSAKey;
import dev.lanyard.storage.model.KeyState;
import dev.lanyard.storage.model.SigningKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeyFactoryTest {
  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

  @TempDir static Path dataDir;
  static MasterKey masterKey;
  static SigningKeyFactory factory;
  static SigningKey key; // RSA generation is slow: one key for the read-only checks

  @BeforeAll
  static void generateOnce() {
    masterKey = MasterKey.load(dataDir, Map.of());
    factory = new SigningKeyFactory(masterKey);
    key = factory.generate("prod", 2048, NOW, NOW);
  }

  @Test
  void generatedKeyHasRs256ActiveStateAndNoRetirement() {
    assertThat(key.tenantId()).isEqualTo("prod");
    assertThat(key.algorithm()).isEqualTo("RS256");
    assertThat(key.state()).isEqualTo(KeyState.ACTIVE);
    assertThat(key.createdAt()).isEqualTo(NOW);
    assertThat(key.activeFrom()).isEqualTo(NOW);
    assertThat(key.retireAfter()).isNull();
    assertThat(key.retiredAt()).isNull();
    assertThat(key.unpublishAfter()).isNull();
    assertThat(SigningKeyFactory.publicKey(key).getModulus().bitLength()).isEqualTo(2048);
  }

  @Test
  void keyActiveInTheFutureIsOnlyPublished() {
    SigningKey later = factory.generate("prod", 2048, NOW, NOW.plus(Duration.ofHours(1)));
    assertThat(later.state()).isEqualTo(KeyState.PUBLISHED);
    assertThat(later.activeFrom()).isEqualTo(NOW.plus(Duration.ofHours(1)));
  }

  @Test
  void kidIsTheRfc7638ThumbprintAsNimbusComputesIt() throws Exception {
    RSAPublicKey publicKey = SigningKeyFactory.publicKey(key);
    String nimbus = new RSAKey.Builder(publicKey).build().computeThumbprint("SHA-256").toString();

    assertThat(key.kid()).isEqualTo(nimbus).hasSize(43);
    // Stable: the same public key always gives the same kid.
    assertThat(JwkThumbprint.sha256(SigningKeyFactory.publicKey(key))).isEqualTo(key.kid());
  }

  @Test
  void privateKeyRoundTripsAndSignsForThePublicKey() throws Exception {
    PrivateKey privateKey = factory.privateKey(key);
    byte[] message = "header.payload".getBytes(StandardCharsets.US_ASCII);

    Signature signer = Signature.getInstance("SHA256withRSA");
    signer.initSign(privateKey);
    signer.update(message);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance("SHA256withRSA");
    verifier.initVerify(SigningKeyFactory.publicKey(key));
    verifier.update(message);
    assertThat(verifier.verify(signature)).isTrue();
    // Also decryptable by a MasterKey loaded again from the same file (i.e. after a restart).
    assertThat(new SigningKeyFactory(MasterKey.load(dataDir, Map.of())).privateKey(key).getEncoded())
        .isEqualTo(privateKey.getEncoded());
  }

  @Test
  void privateKeyIsNotStoredInTheClear() {
    assertThat(key.encryptedPrivateKey()[0]).isEqualTo((byte) 1); // MasterKey format version
    byte[] ciphertext = key.encryptedPrivateKey();
    PrivateKey clear = factory.privateKey(key);
    assertThat(new String(ciphertext, StandardCharsets.ISO_8859_1))
        .doesNotContain(new String(clear.getEncoded(), 40, 32, StandardCharsets.ISO_8859_1));
  }

  @Test
  void tamperedCiphertextFailsToDecrypt() {
    byte[] tampered = key.encryptedPrivateKey().clone();
    tampered[tampered.length / 2] ^= 0x01;
    SigningKey bad = new SigningKey(key.tenantId(), key.kid(), key.algorithm(), key.publicKey(), tampered,
        key.state(), key.createdAt(), key.activeFrom(), null, null, null);

    assertThatThrownBy(() -> factory.privateKey(bad)).isInstanceOf(MasterKey.DecryptionException.class);
  }

  @Test
  void ciphertextMovedToAnotherTenantFailsToDecrypt() {
    SigningKey moved = new SigningKey("dev", key.kid(), key.algorithm(), key.publicKey(),
        key.encryptedPrivateKey(), key.state(), key.createdAt(), key.activeFrom(), null, null, null);

    assertThatThrownBy(() -> factory.privateKey(moved)).isInstanceOf(MasterKey.DecryptionException.class);
  }

  @Test
  void anotherMasterKeyCannotDecrypt() {
    SigningKeyFactory other = new SigningKeyFactory(new MasterKey(new byte[32]));
    assertThatThrownBy(() -> other.privateKey(key)).isInstanceOf(MasterKey.DecryptionException.class);
  }

  @Test
  void refusesRsaKeysShorterThan2048Bits() {
    assertThatThrownBy(() -> factory.generate("prod", 1024, NOW, NOW))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2048");
  }
}
