package dev.lanyard.idp.testing;

import dev.lanyard.storage.Storage;
import dev.lanyard.storage.StorageUnavailableException;
import dev.lanyard.storage.StoreWork;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The server's real storage, with two faults a test can turn on: the database unreachable (every transaction
 * fails as a pool timeout does), or one read's answer held back after it committed, until the test lets it go
 * (a slow read that a concurrent change overtakes).
 */
public final class ControlledStorage implements Storage {
  private final Storage real;
  private volatile boolean unreachable;
  private final AtomicReference<Hold> hold = new AtomicReference<>();

  public ControlledStorage(Storage real) {
    this.real = real;
  }

  /** While true, every transaction fails with {@link StorageUnavailableException}. */
  public void unreachable(boolean down) {
    unreachable = down;
  }

  /**
   * Holds back the answer of the next transaction whose result matches {@code which}: the work has run and
   * committed, but its caller learns the result only at {@link Hold#release}.
   */
  public Hold holdNext(Predicate<Object> which) {
    Hold h = new Hold(which);
    if (!hold.compareAndSet(null, h)) throw new IllegalStateException("already holding a read");
    return h;
  }

  /** One held read. */
  public static final class Hold {
    private final Predicate<Object> which;
    private final CountDownLatch caught = new CountDownLatch(1);
    private volatile Runnable release;

    private Hold(Predicate<Object> which) {
      this.which = which;
    }

    /** Waits until a read was caught (its transaction has committed; its caller waits). */
    public void awaitCaught(Duration timeout) throws InterruptedException {
      if (!caught.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("no matching read within " + timeout);
      }
    }

    /** Hands the held result to its caller, on the caller's own context. */
    public void release() {
      release.run();
    }
  }

  @Override
  public <T> Future<T> transaction(StoreWork<T> work) {
    if (unreachable) return Future.failedFuture(unavailable());
    return real.transaction(work).compose(result -> {
      Hold h = hold.get();
      if (h == null || !h.which.test(result) || !hold.compareAndSet(h, null)) return Future.succeededFuture(result);
      Context context = Vertx.currentContext();
      Promise<T> later = Promise.promise();
      h.release = () -> context.runOnContext(v -> later.complete(result));
      h.caught.countDown();
      return later.future();
    });
  }

  @Override
  public <T> T transactionBlocking(StoreWork<T> work) {
    if (unreachable) throw unavailable();
    return real.transactionBlocking(work);
  }

  @Override
  public void onChange(Consumer<Change> listener) {
    real.onChange(listener);
  }

  @Override
  public boolean changesCurrent() {
    return real.changesCurrent();
  }

  @Override
  public Future<Void> ping() {
    return unreachable ? Future.failedFuture(unavailable()) : real.ping();
  }

  @Override
  public String databaseName() {
    return real.databaseName();
  }

  @Override
  public void close() {
    real.close();
  }

  private static StorageUnavailableException unavailable() {
    return new StorageUnavailableException("database unavailable while getting a connection (test)",
        new SQLTransientConnectionException("lanyard-db - Connection is not available, request timed out"));
  }
}
