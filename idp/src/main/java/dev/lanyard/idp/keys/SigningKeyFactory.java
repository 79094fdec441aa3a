package dev.lanyard.idp.keys;

import dev.lanyard.storage.model.KeyState;
import dev.lanyard.storage.model.SigningKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * Makes RS256 signing keys for a tenant and opens their encrypted private parts.
 *
 * <p>The private key is stored as PKCS#8 DER encrypted with the {@link MasterKey}, with associated data
 * {@code tenantId + "/" + kid}: a ciphertext moved to another tenant's or key's row fails to decrypt
 * instead of signing for the wrong issuer.
 *
 * <p><b>Blocking:</b> {@link #generate} takes about 50–200 ms of CPU (RSA prime search) and
 * {@link #privateKey} does an AES-GCM decryption and key parse; call both from a worker
 * ({@code executeBlocking}), never from an event-loop thread.
 */
public final class SigningKeyFactory {
  /** The only algorithm the kube-apiserver accepts in flag mode ({@code --oidc-signing-algs} default). */
  public static final String RS256 = "RS256";
  /** Smallest modulus accepted (NIST SP 800-57: 2048 bits until 2030). */
  public static final int MIN_RSA_BITS = 2048;

  private final MasterKey masterKey;

  public SigningKeyFactory(MasterKey masterKey) {
    this.masterKey = Objects.requireNonNull(masterKey, "masterKey");
  }

  /**
   * Generates a new RSA key pair for {@code tenantId}.
   *
   * @param rsaBits modulus size, at least {@value #MIN_RSA_BITS}
   * @param now creation time
   * @param activeFrom first moment the key may sign; the key is {@link KeyState#ACTIVE} if that is not
   *     after {@code now}, else {@link KeyState#PUBLISHED} (in JWKS, waiting out JWKS caches)
   * @return a key with kid = RFC 7638 SHA-256 thumbprint, no retirement scheduled
   * @throws IllegalArgumentException when {@code rsaBits} is below {@value #MIN_RSA_BITS}
   */
  public SigningKey generate(String tenantId, int rsaBits, Instant now, Instant activeFrom) {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(activeFrom, "activeFrom");
    if (rsaBits < MIN_RSA_BITS) {
      throw new IllegalArgumentException("RSA keys must have at least " + MIN_RSA_BITS + " bits, got " + rsaBits);
    }
    KeyPair pair = newRsaKeyPair(rsaBits);
    RSAPublicKey publicKey = (RSAPublicKey) pair.getPublic();
    String kid = JwkThumbprint.sha256(publicKey);
    byte[] pkcs8 = pair.getPrivate().getEncoded();
    byte[] encrypted;
    try {
      encrypted = masterKey.encrypt(pkcs8, associatedData(tenantId, kid));
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
    KeyState state = activeFrom.isAfter(now) ? KeyState.PUBLISHED : KeyState.ACTIVE;
    return new SigningKey(tenantId, kid, RS256, publicKey.getEncoded(), encrypted, state, now, activeFrom,
        null, null, null);
  }

  /**
   * Decrypts the private part of {@code key}.
   *
   * @throws MasterKey.DecryptionException when the ciphertext was tampered with, belongs to another
   *     tenant or kid, or was encrypted under another master key
   * @throws IllegalStateException when the decrypted key is not the private half of the stored public key
   */
  public PrivateKey privateKey(SigningKey key) {
    byte[] pkcs8 = masterKey.decrypt(key.encryptedPrivateKey(), associatedData(key.tenantId(), key.kid()));
    try {
      PrivateKey privateKey = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      // AAD binds the ciphertext to the kid, and the kid to the public key; this cheap check also
      // catches a row whose public key column was edited.
      if (!(privateKey instanceof RSAPrivateCrtKey crt)
          || !crt.getModulus().equals(publicKey(key).getModulus())) {
        throw new IllegalStateException("private key of " + key + " does not match its public key");
      }
      return privateKey;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot parse private key of " + key, e);
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
  }

  /**
   * Parses the public part of {@code key}.
   *
   * @throws IllegalArgumentException when the stored bytes are not an RSA SubjectPublicKeyInfo
   */
  public static RSAPublicKey publicKey(SigningKey key) {
    try {
      return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(key.publicKey()));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("public key of " + key + " is not an RSA SubjectPublicKeyInfo", e);
    }
  }

  private static KeyPair newRsaKeyPair(int bits) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA key generation unavailable", e);
    }
  }

  private static byte[] associatedData(String tenantId, String kid) {
    return (tenantId + "/" + kid).getBytes(StandardCharsets.UTF_8);
  }
}
