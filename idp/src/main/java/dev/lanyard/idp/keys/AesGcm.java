package dev.lanyard.idp.keys;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM under one key, in one layout: {@code version (1 byte, 0x01) || nonce (12 bytes) || GCM ciphertext
 * and 16-byte tag}. The version byte is authenticated together with the caller's associated data, so the format
 * can change later without old ciphertexts being misread. A fresh random nonce is drawn for every call (NIST
 * SP 800-38D §8.3 bounds one key at 2^32 such messages). Used by the {@link MasterKey} for signing keys at rest
 * and by the access tokens' seal under a key derived from it.
 *
 * <p>Thread-safe: a new {@link Cipher} is made per call.
 */
public final class AesGcm {
  static final int KEY_BYTES = 32;
  private static final byte VERSION = 1;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  /** Bytes a ciphertext has beyond its plaintext: version, nonce and tag. */
  public static final int OVERHEAD = 1 + NONCE_BYTES + TAG_BITS / 8;
  private static final int HEADER_BYTES = 1 + NONCE_BYTES;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKey key;
  /** What the key is, for messages: "master key", ... */
  private final String name;

  /** @param keyBytes exactly 32 bytes (copied) */
  public AesGcm(byte[] keyBytes, String name) {
    if (keyBytes.length != KEY_BYTES) {
      throw new IllegalArgumentException(name + " must be " + KEY_BYTES + " bytes, got " + keyBytes.length);
    }
    this.key = new SecretKeySpec(keyBytes, "AES");
    this.name = name;
  }

  /** Encrypts {@code plaintext} bound to {@code associatedData}; a new array in the layout of the class comment. */
  public byte[] encrypt(byte[] plaintext, byte[] associatedData) {
    Objects.requireNonNull(plaintext, "plaintext");
    Objects.requireNonNull(associatedData, "associatedData");
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, associatedData);
      ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + cipher.getOutputSize(plaintext.length));
      out.put(VERSION).put(nonce);
      cipher.doFinal(ByteBuffer.wrap(plaintext), out);
      return out.array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  /**
   * Decrypts what {@link #encrypt} returned for the same associated data.
   *
   * @throws MasterKey.DecryptionException when the ciphertext is malformed, of an unknown version, tampered with,
   *     or was made with another key or other associated data (GCM cannot tell these apart)
   */
  public byte[] decrypt(byte[] ciphertext, byte[] associatedData) {
    Objects.requireNonNull(ciphertext, "ciphertext");
    Objects.requireNonNull(associatedData, "associatedData");
    if (ciphertext.length < OVERHEAD) {
      throw new MasterKey.DecryptionException("ciphertext too short (" + ciphertext.length + " bytes)", null);
    }
    if (ciphertext[0] != VERSION) {
      throw new MasterKey.DecryptionException("unknown ciphertext version " + ciphertext[0], null);
    }
    try {
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, Arrays.copyOfRange(ciphertext, 1, HEADER_BYTES), associatedData);
      return cipher.doFinal(ciphertext, HEADER_BYTES, ciphertext.length - HEADER_BYTES);
    } catch (AEADBadTagException e) {
      throw new MasterKey.DecryptionException(
          "authentication failed: wrong " + name + ", wrong associated data, or tampered ciphertext", e);
    } catch (GeneralSecurityException e) {
      throw new MasterKey.DecryptionException("cannot decrypt: " + e.getMessage(), e);
    }
  }

  private Cipher cipher(int mode, byte[] nonce, byte[] associatedData) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD(new byte[] {VERSION});
    cipher.updateAAD(associatedData);
    return cipher;
  }
}
