package dev.lanyard.idp.crypto;

import com.goterl.lazysodium.SodiumJava;
import com.goterl.lazysodium.utils.LibraryLoader;
import com.sun.jna.NativeLong;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * argon2id (version 19, one lane) through libsodium, which computes the same function as libargon2 and writes
 * the same PHC strings, but picks AVX2 or AVX-512 code at run time: one hash with the default parameters costs
 * about half the CPU of argon2-jvm's libargon2 here (bench/RESULTS.md). That halves the hashing queue a login
 * storm builds on a small machine.
 *
 * <p>libsodium handles only argon2id with one lane, so {@link PasswordHasher} keeps argon2-jvm for everything
 * else (imported argon2i/argon2d hashes, more lanes) and for machines where libsodium cannot be loaded. The
 * system's libsodium is preferred (the OS keeps it patched); lazysodium-java carries a copy for when there is
 * none. {@code -Dlanyard.passwords.sodium=false} turns it off.
 */
final class SodiumArgon2id {
  /** crypto_pwhash_STRBYTES: room for the PHC string and its terminating NUL. */
  private static final int STRING_BYTES = 128;
  private static final Logger log = LoggerFactory.getLogger(SodiumArgon2id.class);

  private final SodiumJava sodium;

  private SodiumArgon2id(SodiumJava sodium) {
    this.sodium = sodium;
  }

  /**
   * The libsodium binding, loaded at the first call (on the hashing thread that makes it: loading registers
   * JNA methods and may unpack the bundled library), or empty where libsodium is unavailable or turned off.
   */
  static Optional<SodiumArgon2id> instance() {
    return Holder.INSTANCE;
  }

  private static final class Holder {
    static final Optional<SodiumArgon2id> INSTANCE = load();
  }

  private static Optional<SodiumArgon2id> load() {
    if (!Boolean.parseBoolean(System.getProperty("lanyard.passwords.sodium", "true"))) {
      return Optional.empty();
    }
    try {
      SodiumJava sodium = new SodiumJava(LibraryLoader.Mode.PREFER_SYSTEM);
      if (sodium.sodium_init() < 0) {
        log.warn("libsodium did not initialise; password hashing uses libargon2");
        return Optional.empty();
      }
      return Optional.of(new SodiumArgon2id(sodium));
    } catch (Throwable e) { // LinkageError, LibraryLoadingException: argon2-jvm does the work instead
      log.info("libsodium unavailable ({}); password hashing uses libargon2", e.toString());
      return Optional.empty();
    }
  }

  /** Whether new hashes with these parameters can be made here: libsodium makes one-lane hashes only. */
  static boolean canHash(Argon2Params params) {
    return params.parallelism() == 1;
  }

  /**
   * Whether {@link #verify} gives the same answer libargon2 would for this hash: argon2id version 19, one
   * lane, and salt and output no shorter than libsodium accepts (8 and 16 bytes).
   */
  static boolean canVerify(Argon2Hash hash) {
    return hash.type().equals("argon2id") && hash.version() == 19 && hash.parallelism() == 1
        && hash.saltBytes() >= 8 && hash.hashBytes() >= 16;
  }

  /** A new PHC string for {@code password} (UTF-8 bytes), with a random 16-byte salt and a 32-byte hash. */
  String hash(byte[] password, Argon2Params params) {
    byte[] out = new byte[STRING_BYTES];
    int status = sodium.crypto_pwhash_str(out, password, password.length, params.iterations(),
        new NativeLong(params.memoryKiB() * 1024L));
    if (status != 0) { // libsodium's only failure here: the memory could not be allocated
      throw new IllegalStateException("libsodium could not hash the password (out of memory?)");
    }
    int length = 0;
    while (length < out.length && out[length] != 0) {
      length++;
    }
    return new String(out, 0, length, StandardCharsets.US_ASCII);
  }

  /** Whether {@code password} (UTF-8 bytes) matches {@code encoded}, compared in constant time by libsodium. */
  boolean verify(String encoded, byte[] password) {
    byte[] terminated = (encoded + '\0').getBytes(StandardCharsets.US_ASCII);
    return sodium.crypto_pwhash_str_verify(terminated, password, password.length) == 0;
  }
}
