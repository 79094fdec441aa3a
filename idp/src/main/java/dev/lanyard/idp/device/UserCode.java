package dev.lanyard.idp.device;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;

/**
 * RFC 8628 §6.1 user codes: 8 letters from the 20 consonants {@code BCDFGHJKLMNPQRSTVWXZ} (no vowels, so no
 * words; no digits to confuse with letters), about 34.6 bits. Shown as {@code XXXX-XXXX}; what the user types is
 * matched case-insensitively, ignoring dashes and spaces. Stored normalised: the 8 upper-case letters.
 */
public final class UserCode {
  static final String ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
  static final int LENGTH = 8;
  /** Longer input is refused unread: nobody types a code with that much padding. */
  private static final int MAX_TYPED_LENGTH = 64;

  private UserCode() {}

  /** A fresh normalised code, each letter drawn uniformly. */
  public static String generate(SecureRandom random) {
    char[] code = new char[LENGTH];
    for (int i = 0; i < LENGTH; i++) code[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
    return new String(code);
  }

  /** The normalised code as people read it: {@code BDFG-HJKL}. */
  public static String display(String normalised) {
    return normalised.substring(0, LENGTH / 2) + "-" + normalised.substring(LENGTH / 2);
  }

  /**
   * What the user typed, normalised: upper-cased with dashes and whitespace removed. Empty when the result cannot
   * be a user code (wrong length or a letter outside the alphabet), so it need not be looked up.
   */
  public static Optional<String> normalise(String typed) {
    if (typed == null || typed.length() > MAX_TYPED_LENGTH) return Optional.empty();
    StringBuilder code = new StringBuilder(LENGTH);
    for (int i = 0; i < typed.length(); i++) {
      char c = typed.charAt(i);
      if (c == '-' || Character.isWhitespace(c) || Character.isSpaceChar(c)) continue;
      String upper = String.valueOf(c).toUpperCase(Locale.ROOT);
      if (upper.length() != 1 || ALPHABET.indexOf(upper.charAt(0)) < 0 || code.length() == LENGTH) {
        return Optional.empty();
      }
      code.append(upper.charAt(0));
    }
    return code.length() == LENGTH ? Optional.of(code.toString()) : Optional.empty();
  }
}
