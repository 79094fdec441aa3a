package dev.lanyard.idp.keys;

import dev.lanyard.idp.crypto.SecureFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The 256-bit key that encrypts signing keys' private parts at rest ({@link AesGcm}: the ciphertext layout,
 * version byte and nonce rules are there), and from which keys for other purposes are derived ({@link #derive}).
 * With random 96-bit nonces one key stays safe for far more than the few thousand keys Lanyard will ever encrypt.
 */
public final class MasterKey {
  /** Environment variable holding the key as base64 of exactly 32 bytes; wins over the file. */
  public static final String ENV_VAR = "LANYARD_MASTER_KEY";
  /** Name of the key file inside the data directory. */
  public static final String FILE_NAME = "master.key";

  static final int KEY_BYTES = AesGcm.KEY_BYTES;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKey key;
  private final AesGcm aead;

  MasterKey(byte[] keyBytes) {
    if (keyBytes.length != KEY_BYTES) {
      throw new IllegalArgumentException("master key must be " + KEY_BYTES + " bytes, got " + keyBytes.length);
    }
    this.key = new SecretKeySpec(keyBytes, "AES");
    this.aead = new AesGcm(keyBytes, "master key");
  }

  /**
   * Loads the master key: from {@code LANYARD_MASTER_KEY} in {@code env} when set, else from
   * {@code dataDir/master.key}, which is created (32 random bytes, mode 0600 from creation) if absent.
   *
   * @param dataDir Lanyard's data directory; created if missing when the key file must be created
   * @param env the process environment (a map so tests need not touch the real one)
   * @throws IllegalStateException with an operator-readable message when the variable is not base64 of
   *     32 bytes, or the file has the wrong size or is readable by group or others
   * @throws UncheckedIOException when the file cannot be read or created
   */
  public static MasterKey load(Path dataDir, Map<String, String> env) {
    String fromEnv = env.get(ENV_VAR);
    if (fromEnv != null) {
      byte[] bytes = decodeEnv(fromEnv);
      try {
        return new MasterKey(bytes);
      } finally {
        Arrays.fill(bytes, (byte) 0);
      }
    }
    Path file = dataDir.resolve(FILE_NAME);
    byte[] bytes = null;
    try {
      bytes = readOrCreate(file);
      return new MasterKey(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create master key file " + file, e);
    } finally {
      if (bytes != null) {
        Arrays.fill(bytes, (byte) 0); // SecretKeySpec keeps its own copy
      }
    }
  }

  /**
   * A 32-byte key for one purpose (HMAC-SHA256 of {@code purpose} under the master key), the same on every replica
   * sharing this master key, e.g. for signing the login form's CSRF tokens. Different purposes give unrelated keys.
   */
  public byte[] derive(String purpose) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
      return mac.doFinal(("lanyard/" + purpose).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Encrypts {@code plaintext}, binding it to {@code associatedData} (e.g. {@code tenant/kid}) so a
   * ciphertext copied to another record does not decrypt there.
   *
   * @return a new array in the layout described in the class comment
   */
  public byte[] encrypt(byte[] plaintext, byte[] associatedData) {
    return aead.encrypt(plaintext, associatedData);
  }

  /**
   * Decrypts what {@link #encrypt} returned for the same associated data.
   *
   * @throws DecryptionException when the ciphertext is malformed, of an unknown version, tampered with,
   *     or was made with another master key or other associated data (GCM cannot tell these apart)
   */
  public byte[] decrypt(byte[] ciphertext, byte[] associatedData) {
    return aead.decrypt(ciphertext, associatedData);
  }

  @Override
  public String toString() {
    return "MasterKey[redacted]";
  }

  private static byte[] decodeEnv(String value) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(value.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(ENV_VAR + " is not valid base64; generate one with: openssl rand -base64 32");
    }
    if (bytes.length != KEY_BYTES) {
      throw new IllegalStateException(ENV_VAR + " must be base64 of exactly " + KEY_BYTES + " bytes, but decodes to "
          + bytes.length + " bytes; generate one with: openssl rand -base64 32");
    }
    return bytes;
  }

  private static byte[] readOrCreate(Path file) throws IOException {
    byte[] fresh = new byte[KEY_BYTES];
    RANDOM.nextBytes(fresh);
    // createNew never replaces an existing file: overwriting a master key would make every stored
    // signing key unreadable.
    if (SecureFiles.createNew(file, fresh, SecureFiles.OWNER_ONLY)) {
      return fresh;
    }
    Arrays.fill(fresh, (byte) 0);
    return readExisting(file);
  }

  private static byte[] readExisting(Path file) throws IOException {
    try {
      if (SecureFiles.isAccessibleByOthers(file)) {
        throw new IllegalStateException("refusing to use master key file " + file
            + ": it is accessible by group or others; run: chmod 600 " + file);
      }
      byte[] bytes = Files.readAllBytes(file);
      if (bytes.length != KEY_BYTES) {
        throw new IllegalStateException("master key file " + file + " must hold exactly " + KEY_BYTES
            + " bytes, but holds " + bytes.length);
      }
      return bytes;
    } catch (NoSuchFileException e) {
      throw new IllegalStateException("master key file " + file + " vanished while being read", e);
    }
  }

  /** A ciphertext that cannot be decrypted with this key and associated data. */
  public static final class DecryptionException extends RuntimeException {
    DecryptionException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
