package dev.lanyard.idp.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.testing.TestLanyard;
import dev.lanyard.idp.tokens.OpaqueTokenFormat;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.StorageConfig;
import dev.lanyard.storage.jdbc.JdbcStorage;
import dev.lanyard.storage.model.AuditEvent;
import dev.lanyard.storage.model.AuditQuery;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every refused admin API call is an audit event, and a flood of them is a few rows plus counts. */
class AdminFailureAuditTest {
  @TempDir
  Path dir;

  @Test
  @DisplayName("no token, not Bearer, malformed and made-up admin tokens: one event per reason at once, then counts")
  void refusalsAreAuditedAndCoalesced() throws Exception {
    Path data = dir.resolve("data");
    try (TestLanyard lanyard = TestLanyard.start(data)) {
      AdminClient anonymous = new AdminClient(lanyard, null);
      for (int i = 0; i < 20; i++) {
        AdminClient.problem(anonymous.get("/tenants"), 401);
        AdminClient.problem(lanyard.send(HttpRequest.newBuilder(URI.create(lanyard.baseUrl() + AdminApi.BASE + "/tenants"))
            .header("Authorization", "Basic YWRtaW46YWRtaW4=").GET()), 401);
        AdminClient.problem(anonymous.as("lya_not-a-token-" + i).get("/tenants"), 401);
        // Well-formed (the checksum is public), unknown: each one used to write its own row.
        AdminClient.problem(anonymous.as(OpaqueTokenFormat.ADMIN.generate()).get("/tenants"), 401);
      }
      AdminClient admin = AdminClient.login(lanyard, "default", "admin", TestLanyard.ADMIN_PASSWORD);
      JsonObject page = null;
      for (int i = 0; i < 50; i++) {
        page = admin.ok("/audit?action=admin.unauthenticated");
        if (page.getLong("total") >= 3) break;
        Thread.sleep(100);
      }
      assertThat(page.getLong("total")).isEqualTo(3);
      assertThat(page.getJsonArray("items").stream().map(e -> ((JsonObject) e).getJsonObject("details")
          .getString("reason"))).containsExactlyInAnyOrder("no bearer token", "malformed token",
          "unknown, expired or revoked token, or no administrator");
    }
    // Stopping records what was counted.
    Vertx vertx = Vertx.vertx();
    try (Storage storage = JdbcStorage.open(vertx, StorageConfig.h2File(data))) {
      List<AuditEvent> rows = storage.transactionBlocking(s ->
          s.audit().query(new AuditQuery(null, null, "admin.unauthenticated", null, null), 0, 1000));
      assertThat(rows).hasSize(6);
      assertThat(rows.stream().map(e -> new JsonObject(e.details())).filter(d -> d.containsKey("repeated"))
          .mapToLong(d -> d.getLong("repeated")).sum()).isEqualTo(39 + 19 + 19);
    } finally {
      vertx.close().await();
    }
  }

  /** Well-formed (a prefix and base64url characters), but sealed by nobody. */
  private static String madeUpAccessToken() {
    byte[] bytes = new byte[160];
    new SecureRandom().nextBytes(bytes);
    return "lyat_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Test
  @DisplayName("made-up access tokens and passwords at made-up tenants: one row per kind, none under the typed tenant")
  void madeUpLoginsAreCoalesced() throws Exception {
    try (TestLanyard lanyard = TestLanyard.start(dir.resolve("data"))) {
      AdminClient anonymous = new AdminClient(lanyard, null);
      for (int i = 0; i < 10; i++) {
        AdminClient.problem(anonymous.call("POST", "/login", new JsonObject().put("tenant", "made-up-" + i)
            .put("accessToken", madeUpAccessToken())), 401);
        AdminClient.problem(anonymous.call("POST", "/login", new JsonObject().put("tenant", "default")
            .put("accessToken", madeUpAccessToken())), 401);
        AdminClient.problem(anonymous.call("POST", "/login", new JsonObject().put("tenant", "invented")
            .put("username", "admin").put("password", "guess-" + i)), 401);
      }
      // First rows are stored in the background.
      List<AuditEvent> rows = adminLoginFailures(lanyard);
      for (int i = 0; i < 50 && rows.size() < 3; i++) {
        Thread.sleep(100);
        rows = adminLoginFailures(lanyard);
      }
      Thread.sleep(300);
      rows = adminLoginFailures(lanyard);
      assertThat(rows).hasSize(3);
      assertThat(rows).extracting(AuditEvent::tenantId).containsExactlyInAnyOrder(null, null, "default");
      assertThat(rows).filteredOn(e -> e.tenantId() == null).extracting(e -> new JsonObject(e.details())
          .getString("tenant")).containsExactlyInAnyOrder("made-up-0", "invented");
    }
  }

  private static List<AuditEvent> adminLoginFailures(TestLanyard lanyard) {
    return lanyard.server().storage().transactionBlocking(s -> s.audit().query(
        new AuditQuery(null, null, "admin.login", null, null), 0, 1000)).stream()
        .filter(e -> "failure".equals(e.outcome())).toList();
  }
}
