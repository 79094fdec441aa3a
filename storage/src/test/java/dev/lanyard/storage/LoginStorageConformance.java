package dev.lanyard.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanyard.storage.model.AuthorizationCode;
import dev.lanyard.storage.model.LoginFailures;
import dev.lanyard.storage.model.LoginSession;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Login sessions, authorization codes and the login throttle's counters: part of {@link StorageConformanceTest}
 * (run there as a nested class, so on every database).
 */
abstract class LoginStorageConformance {
  static final Instant T0 = StorageConformanceTest.T0;

  /** The enclosing suite, whose store is fresh for every test. */
  abstract StorageConformanceTest suite();

  <T> T tx(StoreWork<T> work) {
    return suite().tx(work);
  }

  @BeforeEach
  void tenantsUsersAndClients() {
    suite().createTenants("a", "b");
    tx((StoreSession x) -> {
      x.users().create(StorageConformanceTest.user("a", "u1", "alice"));
      x.users().create(StorageConformanceTest.user("b", "u1", "alice"));
      x.clients().create(StorageConformanceTest.client("a", "cli"));
      x.clients().create(StorageConformanceTest.client("b", "cli"));
      return null;
    });
  }

  static LoginSession session(String tenantId, String id) {
    return new LoginSession(tenantId, id, "u1", new byte[] {1, 2, 3, -1}, T0, T0, T0, T0.plus(Duration.ofHours(10)),
        null, "192.0.2.1", StorageConformanceTest.AWKWARD);
  }

  static AuthorizationCode code(String tenantId, byte[] hash) {
    return new AuthorizationCode(tenantId, hash, "cli", "http://127.0.0.1:39999/callback?x=1", "u1", "s1",
        List.of("openid", "groups", "offline_access"), StorageConformanceTest.AWKWARD,
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "S256", T0, T0, T0.plusSeconds(60), null);
  }

  // ---- login sessions

  @Test
  void aLoginSessionRoundTripsEveryFieldAndStaysInItsTenant() {
    LoginSession s = session("a", "s1");
    tx((StoreSession x) -> {
      x.loginSessions().create(s);
      return null;
    });
    assertThat(tx((StoreSession x) -> x.loginSessions().find("a", "s1"))).contains(s);
    assertThat(tx((StoreSession x) -> x.loginSessions().find("b", "s1"))).isEmpty();
    LoginSession minimal = new LoginSession("a", "s2", "u1", new byte[32], T0, T0, T0, T0.plusSeconds(1), null, null,
        null);
    tx((StoreSession x) -> {
      x.loginSessions().create(minimal);
      return null;
    });
    assertThat(tx((StoreSession x) -> x.loginSessions().find("a", "s2"))).contains(minimal);
  }

  @Test
  void aLoginSessionIdIsUniqueInItsTenantAndNeedsAUserThere() {
    tx((StoreSession x) -> {
      x.loginSessions().create(session("a", "s1"));
      x.loginSessions().create(session("b", "s1"));
      return null;
    });
    assertThat(suite().failure(x -> {
      x.loginSessions().create(session("a", "s1"));
      return null;
    })).isInstanceOf(AlreadyExistsException.class);
    LoginSession ghost = new LoginSession("a", "s9", "ghost", new byte[1], T0, T0, T0, T0, null, null, null);
    assertThat(suite().failure(x -> {
      x.loginSessions().create(ghost);
      return null;
    })).isInstanceOf(NotFoundException.class);
  }

  @Test
  void touchMovesLastSeenForwardOnlyAndEndingIsFinal() {
    tx((StoreSession x) -> {
      x.loginSessions().create(session("a", "s1"));
      return null;
    });
    Instant later = T0.plusSeconds(300);
    assertThat(tx((StoreSession x) -> x.loginSessions().touch("a", "s1", later))).isTrue();
    assertThat(tx((StoreSession x) -> x.loginSessions().touch("a", "s1", T0.plusSeconds(5)))).isTrue();
    assertThat(tx((StoreSession x) -> x.loginSessions().find("a", "s1")).orElseThrow().lastSeenAt()).isEqualTo(later);
    assertThat(tx((StoreSession x) -> x.loginSessions().touch("b", "s1", later))).isFalse();

    assertThat(tx((StoreSession x) -> x.loginSessions().end("b", "s1", later))).isFalse();
    assertThat(tx((StoreSession x) -> x.loginSessions().end("a", "s1", later))).isTrue();
    assertThat(tx((StoreSession x) -> x.loginSessions().end("a", "s1", later.plusSeconds(1)))).isFalse();
    LoginSession ended = tx((StoreSession x) -> x.loginSessions().find("a", "s1")).orElseThrow();
    assertThat(ended.endedAt()).isEqualTo(later);
    assertThat(ended.liveAt(later, Duration.ofHours(1))).isFalse();
    assertThat(tx((StoreSession x) -> x.loginSessions().touch("a", "s1", later.plusSeconds(60)))).isFalse();
  }

  @Test
  void openSessionsOfAUserAreTheirsInTheTenantNotEndedNorExpiredNewestFirst() {
    LoginSession older = session("a", "s1");
    LoginSession newer = new LoginSession("a", "s2", "u1", new byte[] {4}, T0, T0.plusSeconds(5), T0.plusSeconds(5),
        T0.plus(Duration.ofHours(10)), null, null, null);
    LoginSession ended = new LoginSession("a", "s3", "u1", new byte[] {5}, T0, T0, T0, T0.plus(Duration.ofHours(10)),
        T0.plusSeconds(1), null, null);
    LoginSession expired = new LoginSession("a", "s4", "u1", new byte[] {6}, T0, T0, T0, T0.plusSeconds(30), null,
        null, null);
    tx((StoreSession x) -> {
      for (LoginSession s : List.of(older, newer, ended, expired, session("b", "s5"))) x.loginSessions().create(s);
      return null;
    });
    assertThat(tx((StoreSession x) -> x.loginSessions().openOfUser("a", "u1", T0.plusSeconds(60))))
        .extracting(LoginSession::id).containsExactly("s2", "s1");
    assertThat(tx((StoreSession x) -> x.loginSessions().openOfUser("a", "nobody", T0))).isEmpty();
  }

  @Test
  void endAllOfAUserEndsOnlyTheirOpenSessionsInTheTenant() {
    tx((StoreSession x) -> {
      x.loginSessions().create(session("a", "s1"));
      x.loginSessions().create(session("a", "s2"));
      x.loginSessions().create(session("b", "s3"));
      return null;
    });
    assertThat(tx((StoreSession x) -> x.loginSessions().endAllOf("a", "u1", T0.plusSeconds(1)))).isEqualTo(2);
    assertThat(tx((StoreSession x) -> x.loginSessions().find("b", "s3")).orElseThrow().endedAt()).isNull();
  }

  @Test
  void deletingAUserDeletesTheirSessionsAndCodes() {
    tx((StoreSession x) -> {
      x.loginSessions().create(session("a", "s1"));
      x.authorizationCodes().create(code("a", new byte[] {7}));
      return null;
    });
    tx((StoreSession x) -> {
      x.users().delete("a", "u1");
      return null;
    });
    assertThat(tx((StoreSession x) -> x.loginSessions().find("a", "s1"))).isEmpty();
    assertThat(tx((StoreSession x) -> x.authorizationCodes().redeem("a", new byte[] {7}, T0))).isEmpty();
  }

  @Test
  void housekeepingDeletesExpiredAndEndedSessionsOnly() {
    LoginSession expired = new LoginSession("a", "old", "u1", new byte[1], T0, T0, T0, T0.plusSeconds(10), null, null,
        null);
    tx((StoreSession x) -> {
      x.loginSessions().create(expired);
      x.loginSessions().create(session("a", "live"));
      x.loginSessions().create(session("b", "ended"));
      x.loginSessions().end("b", "ended", T0.plusSeconds(5));
      return null;
    });
    assertThat(tx((StoreSession x) -> x.loginSessions().deleteInactiveBefore(T0.plusSeconds(60)))).isEqualTo(2);
    assertThat(tx((StoreSession x) -> x.loginSessions().find("a", "live"))).isPresent();
  }

  // ---- authorization codes

  @Test
  void aCodeRoundTripsEveryFieldAndIsRedeemedOnce() {
    AuthorizationCode c = code("a", new byte[] {1, 2, 3});
    tx((StoreSession x) -> {
      x.authorizationCodes().create(c);
      return null;
    });
    Instant at = T0.plusSeconds(5);
    Optional<AuthorizationCodeRepository.Redemption> first =
        tx((StoreSession x) -> x.authorizationCodes().redeem("a", new byte[] {1, 2, 3}, at));
    assertThat(first).isPresent();
    assertThat(first.get().firstUse()).isTrue();
    assertThat(first.get().code()).isEqualTo(new AuthorizationCode("a", c.codeHash(), c.clientId(), c.redirectUri(),
        c.userId(), c.sessionId(), c.scopes(), c.nonce(), c.codeChallenge(), c.codeChallengeMethod(), c.authTime(),
        c.createdAt(), c.expiresAt(), at));
    AuthorizationCodeRepository.Redemption again =
        tx((StoreSession x) -> x.authorizationCodes().redeem("a", new byte[] {1, 2, 3}, at.plusSeconds(1))).orElseThrow();
    assertThat(again.firstUse()).isFalse();
    assertThat(again.code().usedAt()).isEqualTo(at);
  }

  @Test
  void aCodeIsUnknownInAnotherTenantAndOptionalFieldsMayBeNull() {
    AuthorizationCode bare = new AuthorizationCode("a", new byte[] {9}, "cli", "urn:ietf:wg:oauth:2.0:oob", "u1", null,
        List.of(), null, null, null, T0, T0, T0.plusSeconds(60), null);
    tx((StoreSession x) -> {
      x.authorizationCodes().create(bare);
      return null;
    });
    assertThat(tx((StoreSession x) -> x.authorizationCodes().redeem("b", new byte[] {9}, T0))).isEmpty();
    assertThat(tx((StoreSession x) -> x.authorizationCodes().redeem("a", new byte[] {8}, T0))).isEmpty();
    assertThat(tx((StoreSession x) -> x.authorizationCodes().redeem("a", new byte[] {9}, T0)).orElseThrow().code()
        .scopes()).isEmpty();
    assertThat(suite().failure(x -> {
      x.authorizationCodes().create(bare);
      return null;
    })).isInstanceOf(AlreadyExistsException.class);
  }

  @Test
  void aCodeNeedsAKnownClient() {
    AuthorizationCode c = code("a", new byte[] {4});
    AuthorizationCode ghost = new AuthorizationCode("a", c.codeHash(), "ghost", c.redirectUri(), c.userId(),
        c.sessionId(), c.scopes(), c.nonce(), c.codeChallenge(), c.codeChallengeMethod(), c.authTime(), c.createdAt(),
        c.expiresAt(), null);
    assertThat(suite().failure(x -> {
      x.authorizationCodes().create(ghost);
      return null;
    })).isInstanceOf(NotFoundException.class);
  }

  @Test
  void concurrentRedemptionsOfOneCodeSucceedExactlyOnce() throws Exception {
    int racers = 8;
    for (int round = 0; round < 5; round++) {
      byte[] hash = {42, (byte) round};
      tx((StoreSession x) -> {
        x.authorizationCodes().create(code("a", hash));
        return null;
      });
      CountDownLatch start = new CountDownLatch(1);
      List<io.vertx.core.Future<Boolean>> results = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      List<io.vertx.core.Future<Boolean>> sync = java.util.Collections.synchronizedList(results);
      for (int i = 0; i < racers; i++) {
        Thread t = new Thread(() -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          sync.add(suite().s.transaction(x -> x.authorizationCodes().redeem("a", hash, T0.plusSeconds(1))
              .orElseThrow().firstUse()));
        });
        t.start();
        threads.add(t);
      }
      start.countDown();
      for (Thread t : threads) t.join();
      long winners = results.stream().map(StorageConformanceTest::await).filter(Boolean::booleanValue).count();
      assertThat(winners).as("round " + round).isEqualTo(1);
    }
  }

  @Test
  void housekeepingDeletesExpiredCodes() {
    tx((StoreSession x) -> {
      x.authorizationCodes().create(code("a", new byte[] {1}));
      x.authorizationCodes().create(code("b", new byte[] {1}));
      return null;
    });
    assertThat(tx((StoreSession x) -> x.authorizationCodes().deleteExpiredBefore(T0.plusSeconds(30)))).isZero();
    assertThat(tx((StoreSession x) -> x.authorizationCodes().deleteExpiredBefore(T0.plusSeconds(61)))).isEqualTo(2);
  }

  // ---- login throttle

  @Test
  void failuresCountUpPerSubjectAndTenantAndStartAgainAfterTheWindow() {
    Instant forget = T0.minusSeconds(900);
    LoginFailures one = tx((StoreSession x) -> x.loginFailures().recordFailure("a", LoginFailures.ACCOUNT, "u1", T0, forget));
    assertThat(one).isEqualTo(new LoginFailures("a", "account", "u1", 1, T0, T0, null));
    LoginFailures two = tx((StoreSession x) -> x.loginFailures()
        .recordFailure("a", LoginFailures.ACCOUNT, "u1", T0.plusSeconds(1), forget));
    assertThat(two.failures()).isEqualTo(2);
    assertThat(two.firstFailedAt()).isEqualTo(T0);
    assertThat(two.lastFailedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(tx((StoreSession x) -> x.loginFailures().find("b", LoginFailures.ACCOUNT, "u1"))).isEmpty();
    assertThat(tx((StoreSession x) -> x.loginFailures().find("a", LoginFailures.ADDRESS, "u1"))).isEmpty();

    Instant much = T0.plusSeconds(3600);
    LoginFailures fresh = tx((StoreSession x) -> x.loginFailures()
        .recordFailure("a", LoginFailures.ACCOUNT, "u1", much, much.minusSeconds(900)));
    assertThat(fresh).isEqualTo(new LoginFailures("a", "account", "u1", 1, much, much, null));
  }

  @Test
  void lockingAndClearing() {
    tx((StoreSession x) -> x.loginFailures().recordFailure("a", LoginFailures.ADDRESS, "192.0.2.7", T0, T0));
    tx((StoreSession x) -> {
      x.loginFailures().lockUntil("a", LoginFailures.ADDRESS, "192.0.2.7", T0.plusSeconds(900));
      return null;
    });
    assertThat(tx((StoreSession x) -> x.loginFailures().find("a", LoginFailures.ADDRESS, "192.0.2.7")).orElseThrow()
        .lockedUntil()).isEqualTo(T0.plusSeconds(900));
    assertThat(tx((StoreSession x) -> x.loginFailures().deleteIdleBefore(T0.plusSeconds(60)))).isZero();
    assertThat(tx((StoreSession x) -> x.loginFailures().deleteIdleBefore(T0.plusSeconds(901)))).isEqualTo(1);
    tx((StoreSession x) -> x.loginFailures().recordFailure("a", LoginFailures.ADDRESS, "192.0.2.7", T0, T0));
    tx((StoreSession x) -> {
      x.loginFailures().clear("a", LoginFailures.ADDRESS, "192.0.2.7");
      return null;
    });
    assertThat(tx((StoreSession x) -> x.loginFailures().find("a", LoginFailures.ADDRESS, "192.0.2.7"))).isEmpty();
  }

  @Test
  void concurrentFailuresAreAllCounted() {
    int n = 12;
    List<io.vertx.core.Future<LoginFailures>> all = IntStream.range(0, n)
        .mapToObj(i -> suite().s.transaction(x -> x.loginFailures()
            .recordFailure("a", LoginFailures.ACCOUNT, "racy", T0.plusMillis(i), T0.minusSeconds(900))))
        .toList();
    all.forEach(StorageConformanceTest::await);
    assertThat(tx((StoreSession x) -> x.loginFailures().find("a", LoginFailures.ACCOUNT, "racy")).orElseThrow()
        .failures()).isEqualTo(n);
  }

  @Test
  void aCounterNeedsAKnownTenant() {
    assertThatThrownBy(() -> tx((StoreSession x) -> x.loginFailures()
        .recordFailure("ghost", LoginFailures.ACCOUNT, "u1", T0, T0))).isInstanceOf(NotFoundException.class);
  }
}
