package dev.lanyard.idp.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.Main;
import dev.lanyard.idp.testing.TestLanyard;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lanyard admin-token}: the first admin token, minted while the server is stopped. */
class AdminTokenCommandTest {
  @TempDir
  Path dir;

  /** Runs the command line in-process; returns exit code and standard output. */
  record Run(int exit, String out) {}

  static Run run(String... args) {
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      return new Run(Main.run(args), out.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(old);
    }
  }

  @Test
  @DisplayName("mints a token for the seeded admin that the running server accepts; refuses non-admins and a running server")
  void mintsWhileStopped() {
    Path data = dir.resolve("data");
    try (TestLanyard first = TestLanyard.start(data)) {
      AdminClient admin = AdminClient.login(first, "default", "admin", TestLanyard.ADMIN_PASSWORD);
      admin.created("/tenants/default/users", new io.vertx.core.json.JsonObject().put("username", "no-role"));
      // The data directory is locked while the server runs.
      assertThat(run("admin-token", "--data-dir", data.toString()).exit()).isEqualTo(1);
    }
    Run minted = run("admin-token", "--data-dir", data.toString(), "--ttl", "1h");
    assertThat(minted.exit()).isZero();
    String token = minted.out().trim();
    assertThat(token).startsWith("lya_").hasSize(53);
    assertThat(run("admin-token", "--data-dir", data.toString(), "--user", "no-role").exit()).isEqualTo(1);
    assertThat(run("admin-token", "--data-dir", data.toString(), "--tenant", "nope").exit()).isEqualTo(1);

    try (TestLanyard again = TestLanyard.start(data)) {
      AdminClient admin = new AdminClient(again, token);
      assertThat(admin.ok("/tenants").getJsonArray("items")).isNotEmpty();
      assertThat(admin.ok("/audit?action=token.create&actor=cli").getLong("total")).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("without --ttl: 12h, or the tenant's token maximum when that is shorter; --ttl above it is refused")
  void defaultLifetimeWithinTheTenantMaximum() {
    Path data = dir.resolve("data");
    try (TestLanyard first = TestLanyard.start(data)) {
      AdminClient admin = AdminClient.login(first, "default", "admin", TestLanyard.ADMIN_PASSWORD);
      admin.expect(200, "PUT", "/tenants/default", TokenLifetimeLimitsTest.settings("tokenMaxTtl", "2h"));
    }
    assertThat(run("admin-token", "--data-dir", data.toString(), "--ttl", "3h").exit()).isEqualTo(1);
    Run minted = run("admin-token", "--data-dir", data.toString());
    assertThat(minted.exit()).isZero();
    try (TestLanyard again = TestLanyard.start(data)) {
      AdminClient admin = new AdminClient(again, minted.out().trim());
      JsonObject token = admin.ok("/tenants/default/tokens").getJsonArray("items").stream()
          .map(JsonObject.class::cast).filter(t -> "lanyard admin-token".equals(t.getString("description")))
          .findFirst().orElseThrow();
      assertThat(TokenLifetimeLimitsTest.lifetime(token)).isBetween(Duration.ofHours(2).minusMinutes(1), Duration.ofHours(2));
    }
  }
}
