package dev.lanyard.idp.crypto;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;

/**
 * A Vert.x shared worker pool whose threads run at the lowest priority ({@link LowPriority}: SCHED_IDLE on
 * Linux), for CPU-bound work that a burst of requests can pile up and that must never take a core from an event
 * loop, such as argon2 ({@link PasswordHasher}). Tasks run unordered: one slow task does not hold the others back.
 *
 * <p>Only for work that shares no lock with the event loops. A password login's ID token was signed here for a
 * while: under a saturating load the idle-class thread could wait hundreds of milliseconds for a CPU, and the
 * token endpoint's p99 rose from ~35 ms to 150-450 ms (bench/RESULTS.md). The mechanism was not found; priority
 * inversion over the RSA key every signer shares is the likeliest.
 */
public final class LowPriorityPool {
  private final WorkerExecutor pool;

  /**
   * @param name the shared pool's name; pools of one name share their threads
   * @param threads how many tasks run at once
   */
  public LowPriorityPool(Vertx vertx, String name, int threads) {
    this.pool = vertx.createSharedWorkerExecutor(name, threads);
  }

  /** Runs {@code work} on one of the pool's threads; fails as {@code work} does. */
  public <T> Future<T> run(Callable<T> work) {
    return pool.executeBlocking(() -> {
      LowPriority.applyToCurrentThread();
      return work.call();
    }, false);
  }

  /** Releases this reference to the shared pool. */
  public Future<Void> close() {
    return pool.close();
  }
}
