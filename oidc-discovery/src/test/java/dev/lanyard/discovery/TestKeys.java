package dev.lanyard.discovery;

import dev.lanyard.storage.model.KeyState;
import dev.lanyard.storage.model.SigningKey;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;

/** Key pairs and {@link SigningKey} fixtures for tests. */
final class TestKeys {
  private TestKeys() {}

  static KeyPair rsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static KeyPair ec(String curve) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(curve));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static SigningKey key(String tenant, String kid, String alg, KeyPair pair, KeyState state, Instant created) {
    return new SigningKey(tenant, kid, alg, pair.getPublic().getEncoded(), new byte[] {1, 2, 3}, state, created,
        created, null, null, null);
  }

  static SigningKey retired(String tenant, String kid, KeyPair pair, Instant retiredAt, Instant unpublishAfter) {
    return key(tenant, kid, "RS256", pair, KeyState.ACTIVE, retiredAt.minusSeconds(86_400))
        .withState(KeyState.RETIRED, retiredAt, unpublishAfter);
  }
}
