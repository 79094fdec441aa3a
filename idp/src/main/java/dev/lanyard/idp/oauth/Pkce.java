package dev.lanyard.idp.oauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Pattern;

/** RFC 7636 (PKCE) verification, S256 only. */
public final class Pkce {
  /** §4.1: 43 to 128 unreserved characters. */
  private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

  private Pkce() {}

  /** Whether {@code verifier} is well-formed and BASE64URL(SHA-256(verifier)) equals {@code challenge} (constant time). */
  public static boolean verifiesS256(String verifier, String challenge) {
    if (verifier == null || challenge == null || !VERIFIER.matcher(verifier).matches()) return false;
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      byte[] computed = Base64.getUrlEncoder().withoutPadding().encodeToString(digest).getBytes(StandardCharsets.US_ASCII);
      return MessageDigest.isEqual(computed, challenge.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
