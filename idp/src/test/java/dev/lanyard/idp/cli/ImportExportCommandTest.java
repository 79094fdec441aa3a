package dev.lanyard.idp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.testing.LanyardProcess;
import dev.lanyard.idp.testing.TestLanyard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lanyard import} and {@code lanyard export} as separate processes, on a real H2 file. */
class ImportExportCommandTest {
  static final String EXAMPLE = """
      tenants:
        - id: demo
          displayName: Demo cluster
          users:
            - {username: alice, email: alice@example.com, password: correct-horse-battery, groups: [dev, ops]}
          clients:
            - {id: kubernetes, public: true, redirectUris: ["http://localhost:8000"],
               grants: [authorization_code, refresh_token, password]}
            - {id: ci, secret: ci-secret-0123456789abcdef, grants: [client_credentials]}
      """;

  @TempDir
  Path dir;

  private Path write(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  private String export(Path dataDir) {
    LanyardProcess export = LanyardProcess.run(dir, "export", "--data-dir", dataDir.toString());
    assertThat(export.exitCode()).as(export.stderr()).isZero();
    return export.stdout();
  }

  @Test
  @DisplayName("import the README example, export it: hashes only, never clear passwords or secrets; re-import is idempotent")
  void importExportRoundTrip() throws Exception {
    Path data = dir.resolve("data");
    LanyardProcess imported = LanyardProcess.run(dir, "import", write("in.yaml", EXAMPLE).toString(), "--data-dir",
        data.toString());
    assertThat(imported.exitCode()).as(imported.stderr()).isZero();
    assertThat(imported.stdout()).contains("tenants: 1 created").contains("users: 1 created")
        .contains("groups: 2 created").contains("clients: 2 created");

    String exported = export(data);
    assertThat(exported).contains("id: demo", "username: alice", "email: alice@example.com", "- dev", "- ops",
        "public: true", "http://localhost:8000")
        .containsPattern("passwordHash: \"?\\$argon2id\\$").containsPattern("secretHash: \"?\\$argon2id\\$");
    assertThat(exported).doesNotContain("correct-horse-battery", "ci-secret-0123456789abcdef", "password:", "secret:");

    // The export is itself an import file: importing it changes nothing.
    LanyardProcess again = LanyardProcess.run(dir, "import", write("out.yaml", exported).toString(), "--data-dir",
        data.toString());
    assertThat(again.exitCode()).as(again.stderr()).isZero();
    assertThat(again.stdout()).contains("tenants: 0 created, 1 updated").contains("users: 0 created, 1 updated");
    assertThat(export(data)).isEqualTo(exported);

    // --tenant limits the export; an unknown one is a clear error.
    LanyardProcess one = LanyardProcess.run(dir, "export", "--tenant", "nope", "--data-dir", data.toString());
    assertThat(one.exitCode()).isEqualTo(1);
    assertThat(one.stderr()).contains("no tenant nope").doesNotContain("Exception");
  }

  @Test
  @DisplayName("imported users log in with their password, and JSON files import too")
  void importedUserLogsIn() throws Exception {
    Path data = dir.resolve("data");
    TestLanyard.start(data).close();
    Path json = write("in.json", """
        {"tenants": [{"id": "default", "users": [{"username": "carol", "password": "carol-password-123",
          "groups": ["admins"]}]}]}
        """);
    assertThat(LanyardProcess.run(dir, "import", json.toString(), "--data-dir", data.toString()).exitCode()).isZero();
    try (TestLanyard lanyard = TestLanyard.start(data)) {
      var res = lanyard.postForm("/t/default/token", Map.of("grant_type", "password", "client_id", "kubernetes",
          "username", "carol", "password", "carol-password-123", "scope", "openid groups"), null);
      assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    }
  }

  @Test
  @DisplayName("tenant settings: import sets them, the server answers by them, export writes them back; bad ones are named and nothing is written")
  void tenantSettingsTravel() throws Exception {
    Path data = dir.resolve("data");
    LanyardProcess imported = LanyardProcess.run(dir, "import", write("s.yaml", """
        tenants:
          - id: demo
            settings: {usernameFrom: email, robotPrefix: "bot:", idTokenLifetime: 5m, tokenDefaultTtl: 1d,
                       tokenMaxTtl: 7d, refreshIdleLifetime: 12h}
            users:
              - {username: alice, email: alice@example.com, emailVerified: true, groups: [dev]}
        """).toString(), "--data-dir", data.toString());
    assertThat(imported.exitCode()).as(imported.stderr()).isZero();

    String exported = export(data);
    assertThat(exported).contains("usernameFrom: email", "idTokenLifetime: 5m", "tokenDefaultTtl: 1d",
        "tokenMaxTtl: 7d", "refreshIdleLifetime: 12h").containsPattern("robotPrefix: \"?bot:\"?")
        .doesNotContain("accessTokenLifetime"); // left to the configured default
    LanyardProcess again = LanyardProcess.run(dir, "import", write("again.yaml", exported).toString(), "--data-dir",
        data.toString());
    assertThat(again.exitCode()).as(again.stderr()).isZero();
    assertThat(export(data)).isEqualTo(exported);

    // Refused: every problem named by its path, then one the configuration bounds (tokens.opaqueMaxTtl, 365d).
    LanyardProcess bad = LanyardProcess.run(dir, "import", write("bad.yaml", """
        tenants:
          - id: demo
            settings: {usernameFrom: nickname, idTokenLifetime: 2d, colour: blue, robotPrefix: "system:",
                       accessTokenLifetime: 10}
        """).toString(), "--data-dir", data.toString());
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.stderr()).contains("tenants[0].settings.usernameFrom: 'username' or 'email'",
        "tenants[0].settings.idTokenLifetime: at most", "tenants[0].settings.colour: unknown setting",
        "tenants[0].settings.robotPrefix:", "tenants[0].settings.accessTokenLifetime: must be a string")
        .doesNotContain("Exception");
    LanyardProcess overConfigured = LanyardProcess.run(dir, "import", write("long.yaml", """
        tenants:
          - id: demo
            settings: {tokenMaxTtl: 400d}
        """).toString(), "--data-dir", data.toString());
    assertThat(overConfigured.exitCode()).isEqualTo(1);
    assertThat(overConfigured.stderr()).contains("tenants[0].settings.tokenMaxTtl: at most 365d")
        .doesNotContain("Exception");
    assertThat(export(data)).isEqualTo(exported);

    try (TestLanyard lanyard = TestLanyard.start(data)) {
      String credential = lanyard.server().services().clusters().register("demo", "prod", null, "test", null)
          .await().credential();
      String aliceId = lanyard.server().storage().transactionBlocking(s -> s.users().findByUsername("demo", "alice"))
          .orElseThrow().id();
      String token = lanyard.server().services().tokens().mint(new dev.lanyard.idp.tokens.TokenService.MintRequest(
          "demo", dev.lanyard.storage.model.TokenKind.KUBERNETES, dev.lanyard.storage.model.PrincipalType.USER,
          aliceId, null, java.util.List.of(), null), "test", null).await().secret();
      io.vertx.core.json.JsonObject status = lanyard.tokenReviewStatus("demo", credential, token);
      assertThat(status.getBoolean("authenticated")).as(status.encode()).isTrue();
      assertThat(status.getJsonObject("user").getString("username")).as("usernameFrom: email, set by the import")
          .isEqualTo("alice@example.com");
    }
  }

  @Test
  @DisplayName("malformed YAML: message names the line, exit 1, nothing written")
  void malformedYamlNamesTheLine() throws Exception {
    Path data = dir.resolve("data");
    assertThat(LanyardProcess.run(dir, "import", write("ok.yaml", EXAMPLE).toString(), "--data-dir",
        data.toString()).exitCode()).isZero();
    String before = export(data);
    Path bad = write("bad.yaml", """
        tenants:
          - id: demo
            users:
              - {username: bob, password: "unterminated
        """);
    LanyardProcess run = LanyardProcess.run(dir, "import", bad.toString(), "--data-dir", data.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.stderr()).contains("bad.yaml:").containsPattern("bad\\.yaml:\\d+").doesNotContain("\tat ");
    assertThat(export(data)).isEqualTo(before);
  }

  @Test
  @DisplayName("unknown field and wrong type name the field and line; validation lists every problem; nothing written")
  void badFieldsAreNamed() throws Exception {
    Path data = dir.resolve("data");
    assertThat(LanyardProcess.run(dir, "import", write("ok.yaml", EXAMPLE).toString(), "--data-dir",
        data.toString()).exitCode()).isZero();
    String before = export(data);

    LanyardProcess unknown = LanyardProcess.run(dir, "import", write("u.yaml", """
        tenants:
          - id: demo
            users:
              - {username: bob, pasword: typo}
        """).toString(), "--data-dir", data.toString());
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.stderr()).contains("u.yaml:4").contains("tenants[0].users[0]").contains("pasword");

    LanyardProcess type = LanyardProcess.run(dir, "import", write("t.yaml", """
        tenants:
          - id: demo
            users: not-a-list
        """).toString(), "--data-dir", data.toString());
    assertThat(type.exitCode()).isEqualTo(1);
    assertThat(type.stderr()).contains("t.yaml:3").contains("tenants[0].users");

    LanyardProcess invalid = LanyardProcess.run(dir, "import", write("v.yaml", """
        tenants:
          - id: Bad_Id
          - id: demo
            users:
              - {username: "system:admin"}
              - {username: dave, password: x, passwordHash: y}
            clients:
              - {id: web, public: true, secret: a-secret-that-is-long, redirectUris: ["/relative"], grants: [implicit]}
        """).toString(), "--data-dir", data.toString());
    assertThat(invalid.exitCode()).isEqualTo(1);
    assertThat(invalid.stderr())
        .contains("tenants[0].id")
        .contains("tenants[1].users[0].username: the system: prefix is reserved")
        .contains("tenants[1].users[1]: give password or passwordHash, not both")
        .contains("tenants[1].clients[0]: a public client has no secret")
        .contains("tenants[1].clients[0].redirectUris[0]")
        .contains("tenants[1].clients[0].grants[0]: unknown grant 'implicit'");
    assertThat(export(data)).isEqualTo(before);

    LanyardProcess missing = LanyardProcess.run(dir, "import", dir.resolve("absent.yaml").toString(), "--data-dir",
        data.toString());
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.stderr()).contains("absent.yaml: no such file");
  }

  @Test
  @DisplayName("kill -9 during an import leaves the old data or the new, never half")
  void killDuringImportIsAllOrNothing() throws Exception {
    Path data = dir.resolve("data");
    assertThat(LanyardProcess.run(dir, "import", write("ok.yaml", EXAMPLE).toString(), "--data-dir",
        data.toString()).exitCode()).isZero();
    String before = export(data);
    // Many users with ready hashes: no argon2, so the time goes into the one write transaction.
    String hash = Pattern.compile("passwordHash: \"?([^\"\\s]+)").matcher(before).results().findFirst().orElseThrow().group(1);
    StringBuilder big = new StringBuilder("tenants:\n  - id: demo\n    users:\n");
    int count = 5_000;
    for (int i = 0; i < count; i++) {
      big.append("      - {username: user").append(i).append(", passwordHash: '").append(hash)
          .append("', groups: [g").append(i % 50).append("]}\n");
    }
    Path bigFile = write("big.yaml", big.toString());
    boolean sawOld = false;
    boolean sawNew = false;
    for (long delayMs : new long[] {50, 400, 1500}) {
      LanyardProcess p = LanyardProcess.start(dir, Map.of(), "import", bigFile.toString(), "--data-dir",
          data.toString());
      long deadline = System.currentTimeMillis() + 60_000;
      while (!p.stderr().contains("in one transaction") && p.process().isAlive()
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(10);
      }
      Thread.sleep(delayMs);
      p.killHard();
      String after = export(data);
      int users = countUsers(after);
      assertThat(users).as("users after kill at +%d ms", delayMs).isIn(1, count + 1);
      if (users == 1) {
        assertThat(after).isEqualTo(before);
        sawOld = true;
      } else {
        sawNew = true;
      }
    }
    // Whatever the timing, a final uninterrupted import completes.
    LanyardProcess finish = LanyardProcess.run(dir, "import", bigFile.toString(), "--data-dir", data.toString());
    assertThat(finish.exitCode()).as(finish.stderr()).isZero();
    assertThat(countUsers(export(data))).isEqualTo(count + 1);
    assertThat(sawOld || sawNew).isTrue();
  }

  private static int countUsers(String export) {
    Matcher m = Pattern.compile("(?m)^\\s*(- )?username: ").matcher(export);
    int n = 0;
    while (m.find()) n++;
    return n;
  }

  @Test
  @DisplayName("a second serve, or an import, on a data directory in use fails with a clear message")
  void secondServeFails() {
    Path data = dir.resolve("data");
    try (TestLanyard running = TestLanyard.start(data)) {
      LanyardProcess second = LanyardProcess.run(dir, "serve", "--port", "0", "--data-dir", data.toString());
      assertThat(second.exitCode()).isEqualTo(1);
      assertThat(second.stderr()).contains("in use by another Lanyard process").doesNotContain("\tat ");
      LanyardProcess importer = LanyardProcess.run(dir, "import", dir.resolve("x.yaml").toString(), "--data-dir",
          data.toString());
      assertThat(importer.exitCode()).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("--help works on every command")
  void helpEverywhere() {
    for (String[] args : new String[][] {{"--help"}, {"serve", "--help"}, {"import", "--help"}, {"export", "--help"}}) {
      LanyardProcess p = LanyardProcess.run(dir, args);
      assertThat(p.exitCode()).as(String.join(" ", args)).isZero();
      assertThat(p.stdout()).contains("Usage: lanyard");
    }
  }
}
