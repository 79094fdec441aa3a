package dev.lanyard.idp.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanyard.idp.testing.ControlledStorage;
import dev.lanyard.idp.testing.TestLanyard;
import dev.lanyard.idp.tokens.TokenService;
import dev.lanyard.storage.model.OpaqueToken;
import dev.lanyard.storage.model.PrincipalType;
import dev.lanyard.storage.model.TokenKind;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The last-use batches against a real Lanyard's storage (H2 files), with the database failing on demand. */
class LastUsedRecorderTest {
  @TempDir
  static Path dir;

  static TestLanyard lanyard;
  static Vertx vertx;

  @BeforeAll
  static void start() {
    Path data = TestLanyard.seeded(dir, """
        tenants:
          - id: default
            users:
              - {username: alice, password: alice-password-123}
        """);
    lanyard = TestLanyard.start(data);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
    lanyard.close();
  }

  static OpaqueToken mint() {
    String alice = lanyard.server().storage().transactionBlocking(s -> s.users().findByUsername("default", "alice"))
        .orElseThrow().id();
    return lanyard.server().services().tokens().mint(new TokenService.MintRequest("default", TokenKind.KUBERNETES,
        PrincipalType.USER, alice, null, List.of(), null), "test", null).await().token();
  }

  static Instant lastUsed(OpaqueToken token) {
    return lanyard.server().storage().transactionBlocking(s -> s.tokens().find("default", token.id()))
        .orElseThrow().lastUsedAt();
  }

  @Test
  @DisplayName("a batch the database refused is written by the next flush, not dropped for the next hour")
  void failedFlushIsRetried() {
    // The server's own storage, wrapped: closing nothing of it here.
    ControlledStorage storage = new ControlledStorage(lanyard.server().storage());
    LastUsedRecorder recorder = new LastUsedRecorder(vertx, storage);
    try {
      OpaqueToken token = mint();
      Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      recorder.used("default", token.id(), at);
      storage.unreachable(true);
      assertThatThrownBy(() -> recorder.flush().await());
      // Another use is not queued again (the token was queued moments ago): only the failed batch, put back,
      // can still record this token's use.
      recorder.used("default", token.id(), at.plusSeconds(1));
      storage.unreachable(false);
      recorder.flush().await();
      assertThat(lastUsed(token)).isEqualTo(at);
    } finally {
      storage.unreachable(false);
      recorder.close().await();
    }
  }
}
