package dev.lanyard.idp.crypto;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parameters of an encoded argon2 hash in the PHC string format that libargon2 writes and reads:
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} (salt and hash base64 without padding).
 *
 * @param type {@code argon2id}, {@code argon2i} or {@code argon2d}
 * @param version 19 (0x13) for current hashes; 16 for old ones written without {@code v=}
 * @param saltBytes length of the decoded salt
 * @param hashBytes length of the decoded hash
 */
record Argon2Hash(String type, int version, int memoryKiB, int iterations, int parallelism, int saltBytes,
    int hashBytes) {
  private static final Pattern PHC = Pattern.compile(
      "\\$(argon2id|argon2i|argon2d)(?:\\$v=(\\d{1,3}))?\\$m=(\\d{1,10}),t=(\\d{1,10}),p=(\\d{1,3})"
          + "\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");

  /** Parses {@code encoded}; empty when it is not an argon2 PHC string. */
  static Optional<Argon2Hash> parse(String encoded) {
    if (encoded == null) {
      return Optional.empty();
    }
    Matcher m = PHC.matcher(encoded);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      int version = m.group(2) == null ? 16 : Integer.parseInt(m.group(2));
      return Optional.of(new Argon2Hash(m.group(1), version, Integer.parseInt(m.group(3)),
          Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), decodedLength(m.group(6)),
          decodedLength(m.group(7))));
    } catch (NumberFormatException e) { // more than Integer.MAX_VALUE
      return Optional.empty();
    }
  }

  /** Bytes that {@code base64} (unpadded) decodes to. */
  private static int decodedLength(String base64) {
    return base64.length() * 3 / 4;
  }
}
