package dev.lanyard.idp.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class LowPriorityPoolTest {
  private record Seen(String thread, boolean onEventLoop, int policy) {}

  @Test
  @EnabledOnOs(OS.LINUX)
  void workRunsOffTheEventLoopUnderSchedIdleOnAThreadOfThePool(Vertx vertx, VertxTestContext t) {
    LowPriorityPool pool = new LowPriorityPool(vertx, "low-priority-test", 1);
    vertx.runOnContext(v -> pool.run(() -> new Seen(Thread.currentThread().getName(), Context.isOnEventLoopThread(),
            PasswordHasherTest.schedulingPolicyOfThisThread()))
        .onComplete(t.succeeding(seen -> t.verify(() -> {
          assertThat(seen.thread()).startsWith("low-priority-test");
          assertThat(seen.onEventLoop()).isFalse();
          assertThat(seen.policy()).isEqualTo(5); // SCHED_IDLE
          t.completeNow();
        }))));
  }

  @Test
  void aFailingTaskFailsItsFuture(Vertx vertx, VertxTestContext t) {
    LowPriorityPool pool = new LowPriorityPool(vertx, "low-priority-test", 1);
    pool.run(() -> {
      throw new IllegalStateException("boom");
    }).onComplete(t.failing(err -> t.verify(() -> {
      assertThat(err).isInstanceOf(IllegalStateException.class).hasMessage("boom");
      t.completeNow();
    })));
  }
}
