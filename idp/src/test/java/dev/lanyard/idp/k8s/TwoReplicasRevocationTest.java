package dev.lanyard.idp.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.testing.LanyardProcess;
import dev.lanyard.idp.testing.TestLanyard;
import dev.lanyard.idp.tokens.TokenService;
import dev.lanyard.storage.model.PrincipalType;
import dev.lanyard.storage.model.TokenKind;
import dev.lanyard.storage.testing.PostgresServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Lanyard replicas on one real PostgreSQL: a token revoked through one is refused by the other on its
 * next review (the change travels by NOTIFY, and the revocation returns only once the other replica has it).
 * The same holds for a {@code lanyard import} run against the shared database while a replica serves.
 */
class TwoReplicasRevocationTest {
  @TempDir
  Path dir;

  private static boolean authenticated(TestLanyard replica, String credential, String token) {
    return reviewStatus(replica, credential, token).getBoolean("authenticated");
  }

  private static JsonObject reviewStatus(TestLanyard replica, String credential, String token) {
    return replica.tokenReviewStatus("default", credential, token);
  }

  @Test
  @DisplayName("revoked on replica A, refused by replica B on its next review")
  void revocationCrossesReplicas() throws Exception {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Map<String, String> env = Map.of("LANYARD_MASTER_KEY", Base64.getEncoder().encodeToString(key));
    try (PostgresServer.Database db = PostgresServer.get().createDatabase()) {
      Map<String, String> settings = Map.of("database.url", db.jdbcUrl(),
          "database.username", PostgresServer.get().user(), "database.password", PostgresServer.get().password());
      try (TestLanyard a = TestLanyard.start(dir.resolve("a"), settings, env);
          TestLanyard b = TestLanyard.start(dir.resolve("b"), settings, env)) {
        assertThat(b.banner()).doesNotContain("First start"); // A seeded the shared database
        String credential = a.server().services().clusters().register("default", "prod", null, "test", null)
            .await().credential();
        String adminId = a.server().storage().transactionBlocking(s -> s.users().findByUsername("default", "admin"))
            .orElseThrow().id();
        TokenService tokens = a.server().services().tokens();
        TokenService.Minted minted = tokens.mint(new TokenService.MintRequest("default", TokenKind.KUBERNETES,
            PrincipalType.USER, adminId, null, List.of(), null), "test", null).await();
        assertThat(authenticated(b, credential, minted.secret())).isTrue(); // B now caches it
        assertThat(authenticated(a, credential, minted.secret())).isTrue();

        tokens.revoke("default", minted.token().id(), "test", null).await();
        // The revocation returned once B had it: B's very next review refuses, as A's does.
        assertThat(authenticated(b, credential, minted.secret())).as("B's next review").isFalse();
        assertThat(authenticated(a, credential, minted.secret())).isFalse();
        // Again, many times (the race without confirmation is a few milliseconds wide), in both directions.
        for (int i = 0; i < 20; i++) {
          TestLanyard revoker = i % 2 == 0 ? a : b;
          TestLanyard reviewer = revoker == a ? b : a;
          TokenService.Minted next = revoker.server().services().tokens().mint(new TokenService.MintRequest("default",
              TokenKind.KUBERNETES, PrincipalType.USER, adminId, null, List.of(), null), "test", null).await();
          assertThat(authenticated(reviewer, credential, next.secret())).isTrue(); // now cached there
          revoker.server().services().tokens().revoke("default", next.token().id(), "test", null).await();
          assertThat(authenticated(reviewer, credential, next.secret())).as("next review after revocation " + i)
              .isFalse();
        }
      }
    }
  }

  @Test
  @DisplayName("lanyard import against the shared database takes a group, changes a tenant setting, disables a user: the running replica sees each on its next review")
  void importReachesRunningReplica() throws Exception {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    String masterKey = Base64.getEncoder().encodeToString(key);
    try (PostgresServer.Database db = PostgresServer.get().createDatabase()) {
      Map<String, String> settings = Map.of("database.url", db.jdbcUrl(),
          "database.username", PostgresServer.get().user(), "database.password", PostgresServer.get().password());
      try (TestLanyard a = TestLanyard.start(dir.resolve("a"), settings, Map.of("LANYARD_MASTER_KEY", masterKey))) {
        String credential = a.server().services().clusters().register("default", "prod", null, "test", null)
            .await().credential();
        // The operator's import runs as its own process, with its own data directory, on the same database.
        Path work = Files.createDirectories(dir.resolve("cli"));
        Map<String, String> cliEnv = Map.of("LANYARD_MASTER_KEY", masterKey,
            "LANYARD_DATABASE_URL", db.jdbcUrl(), "LANYARD_DATABASE_USERNAME", PostgresServer.get().user(),
            "LANYARD_DATABASE_PASSWORD", PostgresServer.get().password());
        assertThat(importUser(work, cliEnv, "{username: ada, email: ada@example.com, emailVerified: true, password: ada-password-1, groups: [dev, ops]}"))
            .contains("users: 1 created");
        String adaId = a.server().storage().transactionBlocking(s -> s.users().findByUsername("default", "ada"))
            .orElseThrow().id();
        String secret = a.server().services().tokens().mint(new TokenService.MintRequest("default",
            TokenKind.KUBERNETES, PrincipalType.USER, adaId, null, List.of(), null), "test", null).await().secret();
        JsonObject first = reviewStatus(a, credential, secret); // the replica now caches ada
        assertThat(first.getJsonObject("user").getJsonArray("groups").getList()).contains("dev", "ops");

        assertThat(importUser(work, cliEnv, "{username: ada, groups: [dev]}")).contains("users: 0 created, 1 updated");
        JsonObject regrouped = reviewStatus(a, credential, secret); // the import returned: its next review
        assertThat(regrouped.getJsonObject("user").getJsonArray("groups").getList()).as("group ops taken away")
            .containsExactly("dev");

        importFile(work, cliEnv, "settings: {usernameFrom: email}"); // a tenant setting the review answers by
        assertThat(reviewStatus(a, credential, secret).getJsonObject("user").getString("username"))
            .as("usernameFrom: email").isEqualTo("ada@example.com");

        importUser(work, cliEnv, "{username: ada, enabled: false}");
        assertThat(authenticated(a, credential, secret)).as("ada disabled").isFalse();
      }
    }
  }

  /** {@link #importFile} with one user of tenant {@code default}. */
  private static String importUser(Path work, Map<String, String> env, String userFlowMap) throws Exception {
    return importFile(work, env, "users:\n      - " + userFlowMap);
  }

  /** Runs {@code lanyard import} as its own process on a file with {@code tenantEntry} for tenant default; its stdout. */
  private static String importFile(Path work, Map<String, String> env, String tenantEntry) throws Exception {
    Path file = work.resolve("import.yaml");
    Files.writeString(file, "tenants:\n  - id: default\n    " + tenantEntry + "\n");
    LanyardProcess run = LanyardProcess.start(work, env, "import", file.toString(), "--data-dir",
        work.resolve("data").toString());
    assertThat(run.waitFor()).as(run.stderr()).isZero();
    assertThat(run.stderr()).as("the connection pool's start and stop lines").doesNotContain("HikariPool");
    return run.stdout();
  }
}
