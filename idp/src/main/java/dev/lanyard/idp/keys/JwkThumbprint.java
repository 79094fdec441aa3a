package dev.lanyard.idp.keys;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;

/** RFC 7638 JWK thumbprints, used as key ids so a {@code kid} names exactly one public key. */
public final class JwkThumbprint {
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private JwkThumbprint() {}

  /**
   * The SHA-256 thumbprint of an RSA public key (RFC 7638 §3.2: members {@code e}, {@code kty},
   * {@code n} in that order, no whitespace), base64url without padding: 43 characters.
   */
  public static String sha256(RSAPublicKey key) {
    // Member values contain only base64url characters, so no JSON escaping is needed.
    String json = "{\"e\":\"" + base64urlUInt(key.getPublicExponent())
        + "\",\"kty\":\"RSA\",\"n\":\"" + base64urlUInt(key.getModulus()) + "\"}";
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
      return BASE64URL.encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /** RFC 7518 §2 Base64urlUInt: big-endian, minimal length (no sign byte). */
  static String base64urlUInt(BigInteger value) {
    byte[] bytes = value.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return BASE64URL.encodeToString(bytes);
  }
}
