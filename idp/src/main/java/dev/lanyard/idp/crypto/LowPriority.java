package dev.lanyard.idp.crypto;

import com.sun.jna.Library;
import com.sun.jna.Native;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the scheduling priority (raises the nice value) of the calling thread, on Linux, for CPU-bound
 * background work such as argon2: on a small machine a login storm then yields the cores to the event
 * loops, so TokenReview and discovery latency hold (bench/tokenreview.sh, storm mode). Java's
 * {@code Thread.setPriority} does nothing on Linux; {@code setpriority(PRIO_PROCESS, 0, n)} changes the
 * calling thread only (Linux keeps a nice value per thread). Raising one's own nice value needs no
 * privilege. Elsewhere, or when libc cannot be reached (JNA comes with argon2-jvm), nothing happens.
 */
final class LowPriority {
  /** Nice 10: a CPU share of about 1/10 of a normal thread's while both want the CPU; all of it otherwise. */
  static final int NICE = Integer.getInteger("lanyard.passwords.nice", 10);
  private static final Logger log = LoggerFactory.getLogger(LowPriority.class);
  private static final ThreadLocal<Boolean> DONE = ThreadLocal.withInitial(() -> false);
  private static final CLib LIBC = load();

  private LowPriority() {}

  private interface CLib extends Library {
    int PRIO_PROCESS = 0;

    int setpriority(int which, int who, int prio);
  }

  private static CLib load() {
    if (NICE <= 0 || !System.getProperty("os.name", "").startsWith("Linux")) return null;
    try {
      return Native.load("c", CLib.class);
    } catch (Throwable e) { // UnsatisfiedLinkError and the like: run at normal priority
      log.debug("cannot lower the priority of password hashing threads: {}", e.toString());
      return null;
    }
  }

  /** Lowers the calling thread's priority once; later calls on the same thread cost a ThreadLocal read. */
  static void applyToCurrentThread() {
    if (LIBC == null || DONE.get()) return;
    DONE.set(true);
    if (LIBC.setpriority(CLib.PRIO_PROCESS, 0, NICE) != 0) {
      log.debug("setpriority({}) failed for thread {}", NICE, Thread.currentThread().getName());
    }
  }
}
