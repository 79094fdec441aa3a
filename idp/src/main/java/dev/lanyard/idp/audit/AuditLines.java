package dev.lanyard.idp.audit;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.time.Clock;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The server's audit lines: each one JSON object, printed to a stream (standard output) by a thread of its own.
 * Events are recorded on event loops and inside transactions, neither of which may wait for a slow terminal or a
 * full pipe. At most {@link #CAPACITY} lines wait; beyond that a line is dropped and counted, and the writer
 * prints the count as a line of its own ({@code "action":"audit.lines.dropped"}) when it catches up. The stored
 * audit trail keeps every event regardless.
 */
public final class AuditLines implements Consumer<String>, AutoCloseable {
  static final int CAPACITY = 65_536;
  /** Queued by {@link #close()}, compared by identity: everything before it is written, then the writer ends. */
  private static final String END = new String("end");

  private final PrintStream out;
  private final Clock clock;
  private final BlockingQueue<String> queue = new LinkedBlockingQueue<>(CAPACITY);
  private final AtomicLong dropped = new AtomicLong();
  private final Thread writer;

  public AuditLines(PrintStream out, Clock clock) {
    this.out = out;
    this.clock = clock;
    this.writer = new Thread(this::write, "lanyard-audit-lines");
    writer.setDaemon(true);
    writer.start();
  }

  /** Queues one line; never blocks. */
  @Override
  public void accept(String line) {
    if (!queue.offer(line)) dropped.incrementAndGet();
  }

  private void write() {
    try {
      for (String line = queue.take(); line != END; line = queue.take()) {
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
          out.println(new JsonObject().put("at", clock.instant().toString()).put("action", "audit.lines.dropped")
              .put("count", lost).encode());
        }
        out.println(line);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      out.flush();
    }
  }

  /** Writes the lines already queued (waiting at most a few seconds), then stops the writer. */
  @Override
  public void close() {
    try {
      if (queue.offer(END, 5, TimeUnit.SECONDS)) {
        writer.join(TimeUnit.SECONDS.toMillis(5));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writer.interrupt();
  }
}
