package dev.lanyard.idp.crypto;

import com.sun.jna.Library;
import com.sun.jna.Native;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the scheduling priority of the calling thread, on Linux, for CPU-bound background work such as
 * argon2: on a small machine a login storm then yields the cores to the event loops, so TokenReview and
 * discovery latency hold (bench/tokenreview.sh, storm modes). Java's {@code Thread.setPriority} does nothing
 * on Linux; libc's {@code sched_setscheduler(0, ...)} and {@code setpriority(PRIO_PROCESS, 0, n)} change the
 * calling thread only (Linux schedules threads, not processes). Lowering one's own priority needs no
 * privilege. Elsewhere, or when libc cannot be reached (JNA comes with argon2-jvm), nothing happens.
 *
 * <p>{@code lanyard.passwords.priority} picks how: {@code idle} (the default) moves the thread to
 * {@code SCHED_IDLE}, which any normal thread that wakes up preempts at once and which gets the CPU only
 * when no normal thread wants it; a number 1..19 is a nice value instead (a share of the CPU while normal
 * threads want it, but a woken event loop may wait for the rest of the hashing thread's time slice);
 * {@code normal} leaves the thread alone.
 */
final class LowPriority {
  private static final Logger log = LoggerFactory.getLogger(LowPriority.class);
  /** 0: leave the thread alone; 1..19: that nice value; {@link #IDLE}: SCHED_IDLE. */
  private static final int IDLE = -1;
  private static final int LEVEL = level(System.getProperty("lanyard.passwords.priority", "idle"));
  private static final ThreadLocal<Boolean> DONE = ThreadLocal.withInitial(() -> false);
  private static final CLib LIBC = load();

  private LowPriority() {}

  private interface CLib extends Library {
    int PRIO_PROCESS = 0;
    int SCHED_IDLE = 5;

    int setpriority(int which, int who, int prio);

    /** {@code param} stands for {@code struct sched_param}, whose only field is the (here 0) priority. */
    int sched_setscheduler(int pid, int policy, int[] param);
  }

  private static int level(String setting) {
    switch (setting) {
      case "idle": return IDLE;
      case "normal": return 0;
      default:
        try {
          int nice = Integer.parseInt(setting);
          if (nice >= 1 && nice <= 19) return nice;
        } catch (NumberFormatException e) { // warned below
        }
        log.warn("lanyard.passwords.priority must be idle, normal or a nice value 1..19, not {}: using idle", setting);
        return IDLE;
    }
  }

  private static CLib load() {
    if (LEVEL == 0 || !System.getProperty("os.name", "").startsWith("Linux")) return null;
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
    int status = LEVEL == IDLE
        ? LIBC.sched_setscheduler(0, CLib.SCHED_IDLE, new int[] {0})
        : LIBC.setpriority(CLib.PRIO_PROCESS, 0, LEVEL);
    if (status != 0) {
      log.debug("lowering the priority ({}) failed for thread {}", LEVEL, Thread.currentThread().getName());
    }
  }
}
