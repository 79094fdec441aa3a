package dev.lanyard.idp.tokens;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The shape of Lanyard's opaque tokens: {@code <prefix>_<43 base62 characters of 256 random bits><6 base62
 * characters of CRC32>}, e.g. {@code lyk_3kT...Q9a0Zx1}.
 *
 * <p>The prefix tells people and secret scanners what leaked; the checksum lets a mistyped, truncated or
 * made-up token be refused before any database read, so guessing costs us almost nothing. Only the SHA-256
 * of a token is ever stored.
 */
public enum OpaqueTokenFormat {
  /** Presented to a kube-apiserver, checked through the TokenReview webhook. */
  KUBERNETES("lyk"),
  /** Authorizes Lanyard's admin REST API. */
  ADMIN("lya"),
  /** A cluster's credential for calling the TokenReview webhook. */
  WEBHOOK("lyw"),
  /** The token endpoint's refresh token, rotated on every use. */
  REFRESH("lyrt"),
  /** An RFC 8628 device code: what a device holds while it polls the token endpoint for its user's approval. */
  DEVICE_CODE("lyd");

  private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final int RANDOM_BYTES = 32;
  private static final int RANDOM_CHARS = 43; // ceil(256 / log2(62))
  private static final int CHECKSUM_CHARS = 6; // 62^6 > 2^32
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Base62 value by ASCII code, -1 for every other character: one load instead of three range tests. */
  private static final byte[] DIGITS = new byte[128];

  static {
    Arrays.fill(DIGITS, (byte) -1);
    for (int i = 0; i < ALPHABET.length(); i++) DIGITS[ALPHABET.charAt(i)] = (byte) i;
  }

  /** The token's leading characters, including the underscore. */
  private final String prefix;

  OpaqueTokenFormat(String name) {
    this.prefix = name + "_";
  }

  /** The token's leading characters, including the underscore. */
  public String prefix() {
    return prefix;
  }

  /** Length of every token of this format. */
  public int length() {
    return prefix.length() + RANDOM_CHARS + CHECKSUM_CHARS;
  }

  /** A fresh token: 256 bits from SecureRandom. */
  public String generate() {
    byte[] bytes = new byte[RANDOM_BYTES];
    RANDOM.nextBytes(bytes);
    String body = prefix() + base62(bytes, RANDOM_CHARS);
    return body + checksum(body);
  }

  /**
   * Whether {@code token} is well formed: this prefix, the exact length, only base62 characters and a
   * matching checksum. Cheap and allocation-light: it runs on every webhook call before anything else.
   */
  public boolean isWellFormed(String token) {
    if (token == null || token.length() != length() || !token.startsWith(prefix())) return false;
    for (int i = prefix().length(); i < token.length(); i++) {
      if (digit(token.charAt(i)) < 0) return false;
    }
    // The checksum, compared digit by digit without building strings (this runs on the event loop).
    int split = token.length() - CHECKSUM_CHARS;
    long value = crc32(token, split);
    for (int i = token.length() - 1; i >= split; i--) {
      if (digit(token.charAt(i)) != value % 62) return false;
      value /= 62;
    }
    return true;
  }

  /** The base62 value of {@code c}, or -1. */
  private static int digit(char c) {
    return c < DIGITS.length ? DIGITS[c] : -1;
  }

  /**
   * CRC32 of the first {@code end} characters of an ASCII string, in one call over its bytes, which the JIT
   * turns into vector instructions; fed a character at a time it was 2 % of a token review's CPU.
   */
  private static long crc32(String ascii, int end) {
    CRC32 crc = new CRC32();
    crc.update(ascii.getBytes(StandardCharsets.US_ASCII), 0, end);
    return crc.getValue();
  }

  /** The SHA-256 of a token, which is what storage keeps and looks up. */
  public static byte[] hash(String token) {
    MessageDigest sha256 = SHA256.get();
    sha256.reset();
    return sha256.digest(token.getBytes(StandardCharsets.UTF_8));
  }

  /** One digest per thread: {@code MessageDigest.getInstance} costs a provider lookup on every webhook call. */
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  });

  /** Which format a string claims to be by its prefix, for messages; says nothing about validity. */
  public static Optional<OpaqueTokenFormat> byPrefix(String token) {
    if (token == null) return Optional.empty();
    for (OpaqueTokenFormat f : values()) {
      if (token.startsWith(f.prefix())) return Optional.of(f);
    }
    return Optional.empty();
  }

  private static String checksum(String text) {
    int value = (int) crc32(text, text.length()); // 32 bits, read back unsigned by base62
    return base62(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value},
        CHECKSUM_CHARS);
  }

  /**
   * The last {@code width} base62 digits of the unsigned big-endian number {@code bytes} (a multiple of 4 bytes
   * long), most significant first: long division by 62 over 32-bit words, without BigInteger's allocations
   * (this runs for every token the token endpoint mints).
   */
  static String base62(byte[] bytes, int width) {
    int[] words = new int[bytes.length / 4];
    for (int i = 0; i < words.length; i++) {
      words[i] = (bytes[4 * i] & 0xff) << 24 | (bytes[4 * i + 1] & 0xff) << 16 | (bytes[4 * i + 2] & 0xff) << 8
          | (bytes[4 * i + 3] & 0xff);
    }
    char[] out = new char[width];
    for (int d = width - 1; d >= 0; d--) {
      long remainder = 0;
      for (int i = 0; i < words.length; i++) {
        long current = remainder << 32 | (words[i] & 0xffffffffL);
        words[i] = (int) (current / 62);
        remainder = current % 62;
      }
      out[d] = ALPHABET.charAt((int) remainder);
    }
    return new String(out);
  }
}
