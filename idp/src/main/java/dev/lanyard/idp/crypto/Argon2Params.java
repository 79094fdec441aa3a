package dev.lanyard.idp.crypto;

/**
 * Argon2id cost parameters for new password hashes.
 *
 * <p>One hash holds {@code memoryKiB} of memory while it runs, so a {@link PasswordHasher} with
 * {@code maxConcurrent} threads needs about {@code maxConcurrent × memoryKiB}.
 *
 * @param memoryKiB memory cost {@code m} in KiB, at least {@code 8 × parallelism} (RFC 9106 §3.1)
 * @param iterations time cost {@code t}, at least 1
 * @param parallelism lanes {@code p}, 1 to 16 here (RFC 9106 allows more; the server gains nothing)
 */
public record Argon2Params(int memoryKiB, int iterations, int parallelism) {
  /**
   * One of the OWASP Password Storage Cheat Sheet's equally strong argon2id options: m=7 MiB, t=5, p=1 (the first
   * is m=19 MiB, t=2). The smaller memory hashes ~40 % faster on two cores (bench/RESULTS.md).
   */
  public static final Argon2Params OWASP = new Argon2Params(7_168, 5, 1);

  public Argon2Params {
    if (parallelism < 1 || parallelism > 16) {
      throw new IllegalArgumentException("argon2 parallelism must be 1..16, got " + parallelism);
    }
    if (iterations < 1) {
      throw new IllegalArgumentException("argon2 iterations must be at least 1, got " + iterations);
    }
    if (memoryKiB < 8 * parallelism) {
      throw new IllegalArgumentException("argon2 memory must be at least 8 KiB per lane, got " + memoryKiB);
    }
  }

  /** The defaults: {@link #OWASP}. */
  public static Argon2Params defaults() {
    return OWASP;
  }
}
