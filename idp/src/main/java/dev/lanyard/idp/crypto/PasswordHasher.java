package dev.lanyard.idp.crypto;

import de.mkammerer.argon2.Argon2;
import de.mkammerer.argon2.Argon2Factory;
import de.mkammerer.argon2.Argon2Factory.Argon2Types;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Hashes and verifies passwords with argon2, off the event loop and with bounded concurrency: argon2id with
 * one lane through libsodium ({@link SodiumArgon2id}, about twice as fast here), everything else and every
 * machine without libsodium through argon2-jvm (libargon2). Both write and read the same PHC strings.
 *
 * <p>Work runs on a shared worker pool named {@code argon2} with {@code maxConcurrent} threads, so at
 * most {@code maxConcurrent × memoryKiB} is held by hashing. At most {@code maxQueued} more calls may
 * wait for a thread; beyond that a call fails at once with {@link Busy} (answer it like a 429/503), so a
 * login storm cannot pile up unbounded work, and other workers and event loops (TokenReview) keep
 * running. Tasks are submitted unordered: one slow login must not serialise the others. The hashing threads
 * run at the lowest priority ({@link LowPriority}: SCHED_IDLE on Linux), so while every core is busy hashing the
 * event loops still get the CPU first.
 *
 * <p>New hashes are argon2id with the configured {@link Argon2Params}. Verification also accepts
 * imported {@code $argon2i$} and {@code $argon2d$} PHC strings and other parameters, but refuses hashes
 * costlier than {@value #MAX_IMPORTED_MEMORY_KIB} KiB / {@value #MAX_IMPORTED_ITERATIONS} iterations
 * (or the configured cost, if higher): an imported hash otherwise sets the memory a verify takes.
 *
 * <p>Every method that takes a {@code char[]} password wipes it (fills it with zeros) once the work is
 * done or refused; callers must not reuse it.
 */
public final class PasswordHasher {
  /** Most memory an imported hash may demand per verify, unless the configured cost is higher. */
  public static final int MAX_IMPORTED_MEMORY_KIB = 262_144;
  /** Most iterations an imported hash may demand, unless the configured cost is higher. */
  public static final int MAX_IMPORTED_ITERATIONS = 32;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Argon2Params params;
  /** {@code $argon2id$v=19$m=…,t=…,p=…$}: how every hash made with {@link #params} starts. */
  private final String currentPrefix;
  private final WorkerExecutor pool;
  private final int maxInFlight;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Map<String, Argon2> byType = Map.of(
      "argon2id", Argon2Factory.create(Argon2Types.ARGON2id),
      "argon2i", Argon2Factory.create(Argon2Types.ARGON2i),
      "argon2d", Argon2Factory.create(Argon2Types.ARGON2d));
  private final Argon2 argon2id = byType.get("argon2id");
  private final Future<String> dummyHash;
  /** {@link #dummyHash}'s result once made; read without going through the event loop. */
  private volatile String readyDummyHash;

  /** Runs at the start of every guarded task on the worker thread; tests use it to hold or inspect it. */
  volatile Runnable workHook = () -> {};

  /**
   * @param vertx the Vert.x instance whose shared worker pool {@code argon2} runs the work
   * @param params cost of new hashes
   * @param maxConcurrent hashing threads, at least 1; size it to the memory budget
   * @param maxQueued calls allowed to wait for a thread, at least 0
   */
  public PasswordHasher(Vertx vertx, Argon2Params params, int maxConcurrent, int maxQueued) {
    Objects.requireNonNull(vertx, "vertx");
    this.params = Objects.requireNonNull(params, "params");
    this.currentPrefix = "$argon2id$v=19$m=" + params.memoryKiB() + ",t=" + params.iterations() + ",p="
        + params.parallelism() + "$";
    if (maxConcurrent < 1 || maxQueued < 0) {
      throw new IllegalArgumentException("need maxConcurrent >= 1 and maxQueued >= 0, got "
          + maxConcurrent + " and " + maxQueued);
    }
    this.pool = vertx.createSharedWorkerExecutor("argon2", maxConcurrent);
    this.maxInFlight = maxConcurrent + maxQueued;
    // Made once, in the background, so a dummy verify costs exactly what a real one with the
    // configured parameters costs.
    this.dummyHash = pool.executeBlocking(() -> hashNow(randomPassword()), false);
    dummyHash.onSuccess(hash -> readyDummyHash = hash);
  }

  /**
   * Hashes {@code password} with argon2id and the configured parameters.
   *
   * @return the PHC string ({@code $argon2id$v=19$m=...,t=...,p=...$salt$hash}); fails with {@link Busy}
   *     when too many calls are in flight
   */
  public Future<String> hash(char[] password) {
    Objects.requireNonNull(password, "password");
    return guarded(password, () -> hashNow(password));
  }

  /**
   * Checks {@code password} against {@code encodedHash} (argon2id, argon2i or argon2d PHC string), in
   * constant time with respect to the hash bytes (libargon2).
   *
   * @return true when it matches; fails with {@link Busy} when too many calls are in flight, and with
   *     {@link IllegalArgumentException} when the hash is not an argon2 PHC string or is costlier than
   *     allowed (see the class comment)
   */
  public Future<Boolean> verify(String encodedHash, char[] password) {
    Objects.requireNonNull(password, "password");
    Argon2Hash parsed = Argon2Hash.parse(encodedHash).orElse(null);
    String refusal = parsed == null ? "not an argon2 PHC string" : tooCostly(parsed);
    if (refusal != null) {
      argon2id.wipeArray(password);
      return Future.failedFuture(new IllegalArgumentException("cannot verify password hash: " + refusal));
    }
    return guarded(password, () -> verifyNow(parsed, encodedHash, password));
  }

  /**
   * Spends the time of a real {@link #verify} with the configured parameters and answers false: call it
   * when the username is unknown, so response timing does not tell which usernames exist.
   *
   * @return always false; fails with {@link Busy} exactly when a real verify would
   */
  public Future<Boolean> verifyAgainstDummy(char[] password) {
    Objects.requireNonNull(password, "password");
    String ready = readyDummyHash;
    if (ready != null) {
      return verify(ready, password).map(matched -> false);
    }
    return dummyHash.transform(made -> {
      if (made.failed()) {
        argon2id.wipeArray(password);
        return Future.<Boolean>failedFuture(made.cause());
      }
      return verify(made.result(), password);
    }).map(matched -> false);
  }

  /**
   * Whether {@code encodedHash}, which a {@link #verify} has just accepted, should be replaced by a fresh
   * {@link #hash}: true when it is not argon2id version 19 with exactly the configured parameters. A prefix
   * test, since verify already parsed the string: the PHC prefix libsodium and libargon2 write for the
   * configured parameters (any other spelling of them only costs one needless rehash).
   */
  public boolean needsRehash(String encodedHash) {
    return encodedHash == null || !encodedHash.startsWith(currentPrefix);
  }

  /** The parameters new hashes get. */
  public Argon2Params params() {
    return params;
  }

  /** Releases this hasher's reference to the shared worker pool. */
  public Future<Void> close() {
    // Let the background dummy hash finish first: completing it after Vert.x closed would fail noisily.
    return dummyHash.transform(ignored -> pool.close());
  }

  private <T> Future<T> guarded(char[] password, Callable<T> work) {
    if (inFlight.incrementAndGet() > maxInFlight) {
      inFlight.decrementAndGet();
      argon2id.wipeArray(password);
      return Future.failedFuture(new Busy(maxInFlight));
    }
    Future<T> result;
    try {
      result = pool.executeBlocking(() -> {
        try {
          LowPriority.applyToCurrentThread();
          workHook.run();
          return work.call();
        } finally {
          argon2id.wipeArray(password);
        }
      }, false);
    } catch (RuntimeException e) { // e.g. the pool was closed
      inFlight.decrementAndGet();
      argon2id.wipeArray(password);
      return Future.failedFuture(e);
    }
    return result.andThen(ar -> inFlight.decrementAndGet());
  }

  /** Hashes on the calling (hashing) thread; the caller wipes {@code password}. */
  private String hashNow(char[] password) {
    Optional<SodiumArgon2id> sodium = SodiumArgon2id.instance();
    if (sodium.isPresent() && SodiumArgon2id.canHash(params)) {
      return withUtf8(password, utf8 -> sodium.get().hash(utf8, params));
    }
    return argon2id.hash(params.iterations(), params.memoryKiB(), params.parallelism(), password,
        StandardCharsets.UTF_8);
  }

  /** Verifies on the calling (hashing) thread; the caller wipes {@code password}. */
  private boolean verifyNow(Argon2Hash parsed, String encodedHash, char[] password) {
    Optional<SodiumArgon2id> sodium = SodiumArgon2id.instance();
    if (sodium.isPresent() && SodiumArgon2id.canVerify(parsed)) {
      return withUtf8(password, utf8 -> sodium.get().verify(encodedHash, utf8));
    }
    return byType.get(parsed.type()).verify(encodedHash, password, StandardCharsets.UTF_8);
  }

  /** Runs {@code work} on the UTF-8 bytes of {@code password}, then wipes them (and the encoder's buffer). */
  private static <T> T withUtf8(char[] password, Function<byte[], T> work) {
    ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
    byte[] utf8 = new byte[encoded.remaining()];
    encoded.get(utf8);
    if (encoded.hasArray()) {
      Arrays.fill(encoded.array(), (byte) 0);
    }
    try {
      return work.apply(utf8);
    } finally {
      Arrays.fill(utf8, (byte) 0);
    }
  }

  private String tooCostly(Argon2Hash hash) {
    int maxMemory = Math.max(params.memoryKiB(), MAX_IMPORTED_MEMORY_KIB);
    int maxIterations = Math.max(params.iterations(), MAX_IMPORTED_ITERATIONS);
    if (hash.memoryKiB() > maxMemory || hash.iterations() > maxIterations || hash.parallelism() > 16) {
      return "parameters m=" + hash.memoryKiB() + ",t=" + hash.iterations() + ",p=" + hash.parallelism()
          + " exceed the allowed m=" + maxMemory + ",t=" + maxIterations + ",p=16";
    }
    return null;
  }

  private static char[] randomPassword() {
    char[] chars = new char[32];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = (char) ('!' + RANDOM.nextInt(94));
    }
    return chars;
  }

  /** Too many password operations are running or waiting; retry later. Carries no stack trace. */
  public static final class Busy extends RuntimeException {
    Busy(int limit) {
      super("password hashing is saturated (" + limit + " calls in flight); try again later", null, false, false);
    }
  }
}
