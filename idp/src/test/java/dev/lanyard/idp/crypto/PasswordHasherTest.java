package dev.lanyard.idp.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import de.mkammerer.argon2.Argon2Factory;
import de.mkammerer.argon2.Argon2Factory.Argon2Types;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class PasswordHasherTest {
  /** Cheap parameters so tests run fast; the defaults are checked separately. */
  private static final Argon2Params FAST = new Argon2Params(1024, 1, 1);

  private static char[] pw(String s) {
    return s.toCharArray();
  }

  @Test
  void defaultsAreOwaspArgon2id() {
    assertThat(Argon2Params.defaults()).isEqualTo(new Argon2Params(7_168, 5, 1));
  }

  @Test
  void hashThenVerifyMatchesOnlyTheRightPassword(Vertx vertx, VertxTestContext t) {
    PasswordHasher hasher = new PasswordHasher(vertx, Argon2Params.defaults(), 2, 8);
    hasher.hash(pw("correct horse")).compose(hash -> {
      assertThat(hash).startsWith("$argon2id$v=19$m=7168,t=5,p=1$");
      return Future.all(hasher.verify(hash, pw("correct horse")), hasher.verify(hash, pw("correct hors")));
    }).onComplete(t.succeeding(both -> t.verify(() -> {
      assertThat(both.<Boolean>resultAt(0)).isTrue();
      assertThat(both.<Boolean>resultAt(1)).isFalse();
      t.completeNow();
    })));
  }

  @Test
  void nonAsciiPasswordsHashAsTheirUtf8BytesWhicheverLibraryRuns(Vertx vertx, VertxTestContext t) {
    PasswordHasher hasher = new PasswordHasher(vertx, FAST, 1, 4);
    String password = "pässwörd 🐴 ключ";
    String imported = Argon2Factory.create(Argon2Types.ARGON2id).hash(1, 1024, 1, password.toCharArray(),
        StandardCharsets.UTF_8);
    hasher.hash(pw(password))
        .compose(hash -> Future.all(hasher.verify(imported, pw(password)), Future.succeededFuture(hash)))
        .onComplete(t.succeeding(both -> t.verify(() -> {
          assertThat(both.<Boolean>resultAt(0)).isTrue();
          String hash = both.resultAt(1);
          assertThat(Argon2Factory.create(Argon2Types.ARGON2id).verify(hash, password.toCharArray(),
              StandardCharsets.UTF_8)).isTrue();
          t.completeNow();
        })));
  }

  @Test
  void passwordArraysAreWipedAfterUse(Vertx vertx, VertxTestContext t) {
    PasswordHasher hasher = new PasswordHasher(vertx, FAST, 1, 4);
    char[] forHash = pw("secret");
    char[] forVerify = pw("secret");
    hasher.hash(forHash).compose(hash -> hasher.verify(hash, forVerify))
        .onComplete(t.succeeding(ok -> t.verify(() -> {
          assertThat(ok).isTrue();
          assertThat(forHash).containsOnly('\0');
          assertThat(forVerify).containsOnly('\0');
          t.completeNow();
        })));
  }

  @Test
  void needsRehashWhenParametersChange(Vertx vertx, VertxTestContext t) {
    PasswordHasher old = new PasswordHasher(vertx, FAST, 1, 4);
    PasswordHasher stronger = new PasswordHasher(vertx, new Argon2Params(2048, 1, 1), 1, 4);
    old.hash(pw("pw")).onComplete(t.succeeding(hash -> t.verify(() -> {
      assertThat(old.needsRehash(hash)).isFalse();
      assertThat(stronger.needsRehash(hash)).isTrue();
      assertThat(new PasswordHasher(vertx, new Argon2Params(1024, 2, 1), 1, 4).needsRehash(hash)).isTrue();
      assertThat(new PasswordHasher(vertx, new Argon2Params(1024, 1, 2), 1, 4).needsRehash(hash)).isTrue();
      assertThat(old.needsRehash("$2b$10$notargon")).isTrue();
      assertThat(old.needsRehash(hash.replace("$argon2id$", "$argon2i$"))).isTrue();
      t.completeNow();
    })));
  }

  @Test
  void verifiesImportedArgon2iAndArgon2dHashes(Vertx vertx, VertxTestContext t) {
    String argon2i = Argon2Factory.create(Argon2Types.ARGON2i).hash(2, 4096, 1, pw("imported"), StandardCharsets.UTF_8);
    String argon2d = Argon2Factory.create(Argon2Types.ARGON2d).hash(1, 2048, 2, pw("imported"), StandardCharsets.UTF_8);
    PasswordHasher hasher = new PasswordHasher(vertx, FAST, 2, 8);
    Future.all(hasher.verify(argon2i, pw("imported")), hasher.verify(argon2d, pw("imported")),
            hasher.verify(argon2i, pw("wrong")))
        .onComplete(t.succeeding(all -> t.verify(() -> {
          assertThat(all.<Boolean>resultAt(0)).isTrue();
          assertThat(all.<Boolean>resultAt(1)).isTrue();
          assertThat(all.<Boolean>resultAt(2)).isFalse();
          assertThat(hasher.needsRehash(argon2i)).isTrue();
          t.completeNow();
        })));
  }

  @Test
  void refusesUnparseableAndTooCostlyHashesWithoutRunningThem(Vertx vertx, VertxTestContext t) {
    PasswordHasher hasher = new PasswordHasher(vertx, FAST, 1, 4);
    AtomicInteger ran = new AtomicInteger();
    hasher.workHook = ran::incrementAndGet;
    String huge = "$argon2id$v=19$m=4194304,t=1,p=1$c29tZXNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";
    char[] password = pw("pw");
    hasher.verify(huge, password).onComplete(t.failing(err -> t.verify(() -> {
      assertThat(err).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("m=4194304");
      assertThat(password).containsOnly('\0');
      hasher.verify("plaintext", pw("pw")).onComplete(t.failing(err2 -> t.verify(() -> {
        assertThat(err2).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an argon2");
        assertThat(ran).hasValue(0);
        t.completeNow();
      })));
    })));
  }

  @Test
  void failsFastWithBusyWhenThreadsAndQueueAreFull(Vertx vertx, VertxTestContext t) throws Exception {
    PasswordHasher hasher = new PasswordHasher(vertx, FAST, 1, 1);
    // The dummy hash is made in the background at construction; wait for it so the dummy verify
    // below meets the full pool rather than waiting for it.
    hasher.verifyAgainstDummy(pw("warm-up")).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    hasher.workHook = () -> {
      started.countDown();
      try {
        release.await(10, TimeUnit.SECONDS); // holds the only thread
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    Future<String> running = hasher.hash(pw("a"));
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    Future<String> queued = hasher.hash(pw("b"));
    char[] rejectedPassword = pw("c");
    Future<String> rejected = hasher.hash(rejectedPassword);

    assertThat(rejected.failed()).as("fails at once, without waiting").isTrue();
    assertThat(rejected.cause()).isInstanceOf(PasswordHasher.Busy.class).hasNoCause();
    assertThat(rejectedPassword).containsOnly('\0');
    assertThat(hasher.verifyAgainstDummy(pw("d")).cause()).isInstanceOf(PasswordHasher.Busy.class);

    release.countDown();
    Future.all(running, queued)
        .compose(done -> hasher.hash(pw("e"))) // capacity is given back
        .onComplete(t.succeeding(hash -> t.verify(() -> {
          assertThat(hash).startsWith("$argon2id$");
          t.completeNow();
        })));
  }

  @Test
  void workNeverRunsOnAnEventLoopThread(Vertx vertx, VertxTestContext t) {
    PasswordHasher hasher = new PasswordHasher(vertx, FAST, 2, 4);
    List<Boolean> onEventLoop = new CopyOnWriteArrayList<>();
    List<String> threads = new CopyOnWriteArrayList<>();
    hasher.workHook = () -> {
      onEventLoop.add(Context.isOnEventLoopThread());
      threads.add(Thread.currentThread().getName());
    };
    Promise<Boolean> done = Promise.promise();
    // Called from an event-loop thread, as a login handler would.
    vertx.runOnContext(v -> {
      assertThat(Context.isOnEventLoopThread()).isTrue();
      hasher.hash(pw("pw")).compose(hash -> hasher.verify(hash, pw("pw")))
          .compose(ok -> hasher.verifyAgainstDummy(pw("pw")))
          .onComplete(done);
    });
    done.future().onComplete(t.succeeding(dummyResult -> t.verify(() -> {
      assertThat(dummyResult).isFalse();
      assertThat(onEventLoop).containsExactly(false, false, false);
      assertThat(threads).allSatisfy(name -> assertThat(name).startsWith("argon2"));
      t.completeNow();
    })));
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void hashingThreadsRunUnderSchedIdleSoEventLoopsPreemptThem(Vertx vertx, VertxTestContext t) {
    PasswordHasher hasher = new PasswordHasher(vertx, FAST, 1, 4);
    List<Integer> policies = new CopyOnWriteArrayList<>();
    hasher.workHook = () -> policies.add(schedulingPolicyOfThisThread());
    // Called from an event loop, the answer comes back on that event loop, which must keep its priority.
    vertx.runOnContext(v -> hasher.hash(pw("pw")).onComplete(t.succeeding(hash -> t.verify(() -> {
      assertThat(policies).containsExactly(5); // SCHED_IDLE
      assertThat(Context.isOnEventLoopThread()).isTrue();
      assertThat(schedulingPolicyOfThisThread()).isEqualTo(0); // SCHED_OTHER: other threads are left alone
      t.completeNow();
    }))));
  }

  /** Field 41 ({@code policy}) of /proc/thread-self/stat; the fields after the command name start at 3. */
  static int schedulingPolicyOfThisThread() {
    try {
      String stat = Files.readString(Path.of("/proc/thread-self/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Integer.parseInt(fields[41 - 3]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void dummyVerifyRunsARealArgon2VerifyAndAnswersFalse(Vertx vertx, VertxTestContext t) {
    PasswordHasher hasher = new PasswordHasher(vertx, FAST, 1, 4);
    AtomicInteger ran = new AtomicInteger();
    hasher.workHook = ran::incrementAndGet;
    char[] password = pw("whatever");
    hasher.verifyAgainstDummy(password).onComplete(t.succeeding(result -> t.verify(() -> {
      assertThat(result).isFalse();
      assertThat(ran).hasValue(1);
      assertThat(password).containsOnly('\0');
      t.completeNow();
    })));
  }
}
