package dev.lanyard.idp.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.testing.BrowserClient;
import dev.lanyard.idp.testing.TestLanyard;
import dev.lanyard.storage.model.AuditEvent;
import dev.lanyard.storage.model.AuditQuery;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /admin/api/v1/login} with a password counts toward the login throttle the sign-in page uses (same
 * counters, same waits and lockouts), on a Lanyard of its own with small numbers.
 */
class AdminLoginThrottleTest {
  @TempDir
  Path dir;

  static HttpResponse<String> adminLogin(TestLanyard lanyard, String tenant, String username, String password) {
    return new AdminClient(lanyard, null).call("POST", "/login", new JsonObject().put("tenant", tenant)
        .put("username", username).put("password", password));
  }

  static HttpResponse<String> pageLogin(BrowserClient browser, String username, String password) {
    HttpResponse<String> page = browser.get("/t/default/login");
    return browser.postForm("/t/default/login", Map.of("csrf", BrowserClient.csrf(page.body()), "username", username,
        "password", password));
  }

  static List<String> failureReasons(TestLanyard lanyard) {
    return lanyard.server().storage().transactionBlocking(s -> s.audit().query(
            new AuditQuery("default", null, "admin.login", null, null), 0, 100)).stream()
        .filter(e -> "failure".equals(e.outcome())).map(AuditEvent::details)
        .map(d -> new JsonObject(d).getString("reason")).toList();
  }

  @Test
  @DisplayName("a wait after the free failures, then a lockout: 429 problems with Retry-After, the password unchecked; the sign-in page is locked too; all audited")
  void waitsThenLockout() throws Exception {
    try (TestLanyard lanyard = TestLanyard.start(dir, Map.of("login.freeFailures", "1", "login.maxDelay", "1s",
        "login.lockoutThreshold", "3"))) {
      String good = TestLanyard.ADMIN_PASSWORD;
      AdminClient.problem(adminLogin(lanyard, "default", "admin", "wrong-1"), 401);
      HttpResponse<String> waiting = adminLogin(lanyard, "default", "admin", good);
      JsonObject wait = AdminClient.problem(waiting, 429);
      assertThat(waiting.headers().firstValue("Retry-After")).contains("1");
      assertThat(wait.getString("title")).isEqualTo("Too Many Requests");
      assertThat(wait.getString("detail")).contains("wait 1 second");
      Thread.sleep(1_100);
      AdminClient.problem(adminLogin(lanyard, "default", "admin", "wrong-2"), 401);
      Thread.sleep(1_100);
      AdminClient.problem(adminLogin(lanyard, "default", "admin", "wrong-3"), 401);
      Thread.sleep(1_100);
      HttpResponse<String> locked = adminLogin(lanyard, "default", "admin", good);
      assertThat(AdminClient.problem(locked, 429).getString("detail")).contains("locked");
      assertThat(Long.parseLong(locked.headers().firstValue("Retry-After").orElseThrow())).isBetween(880L, 900L);

      HttpResponse<String> page = pageLogin(new BrowserClient(lanyard), "admin", good);
      assertThat(page.statusCode()).isEqualTo(429);
      assertThat(page.body()).contains("This account is locked after too many failed sign-ins.");

      assertThat(failureReasons(lanyard)).filteredOn("wrong_credentials"::equals).hasSize(3);
      assertThat(failureReasons(lanyard)).contains("throttled", "locked");
    }
  }

  @Test
  @DisplayName("failures on the sign-in page count for the admin login of the same account")
  void pageFailuresCount() {
    try (TestLanyard lanyard = TestLanyard.start(dir, Map.of("login.freeFailures", "1", "login.maxDelay", "30s"))) {
      assertThat(pageLogin(new BrowserClient(lanyard), "admin", "wrong").statusCode()).isEqualTo(401);
      HttpResponse<String> res = adminLogin(lanyard, "default", "admin", TestLanyard.ADMIN_PASSWORD);
      AdminClient.problem(res, 429);
      assertThat(Long.parseLong(res.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 30L);
    }
  }

  @Test
  @DisplayName("a successful admin login forgets the account's failures; a made-up tenant is a plain 401")
  void successResets() {
    try (TestLanyard lanyard = TestLanyard.start(dir, Map.of("login.freeFailures", "2", "login.maxDelay", "30s"))) {
      String good = TestLanyard.ADMIN_PASSWORD;
      AdminClient.problem(adminLogin(lanyard, "default", "admin", "wrong"), 401);
      assertThat(adminLogin(lanyard, "default", "admin", good).statusCode()).isEqualTo(200);
      // Without the reset the second of these would be the third failure, and would wait.
      AdminClient.problem(adminLogin(lanyard, "default", "admin", "wrong"), 401);
      AdminClient.problem(adminLogin(lanyard, "default", "admin", "wrong"), 401);
      AdminClient.problem(adminLogin(lanyard, "default", "admin", good), 429);

      // No counters can be kept for a tenant that does not exist: each attempt is refused, none fails.
      for (int i = 0; i < 4; i++) AdminClient.problem(adminLogin(lanyard, "no-such-tenant", "admin", "wrong"), 401);
    }
  }
}
