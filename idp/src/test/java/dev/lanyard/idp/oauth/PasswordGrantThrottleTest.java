package dev.lanyard.idp.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.testing.BrowserClient;
import dev.lanyard.idp.testing.TestLanyard;
import dev.lanyard.storage.model.AuditEvent;
import dev.lanyard.storage.model.AuditQuery;
import dev.lanyard.storage.model.LoginFailures;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The password grant (RFC 6749 §4.3) audits every failed login and counts it toward the login throttle the
 * sign-in page uses; a throttled or locked account gets {@code invalid_grant} with a description, its password
 * unchecked.
 */
class PasswordGrantThrottleTest {
  @TempDir
  Path dir;

  static HttpResponse<String> grant(TestLanyard lanyard, String username, String password) {
    return lanyard.postForm("/t/default/token", Map.of("grant_type", "password", "client_id", "kubernetes",
        "username", username, "password", password, "scope", "openid"), null);
  }

  static JsonObject invalidGrant(HttpResponse<String> res) {
    assertThat(res.statusCode()).as(res.body()).isEqualTo(400);
    JsonObject error = new JsonObject(res.body());
    assertThat(error.getString("error")).isEqualTo("invalid_grant");
    return error;
  }

  static List<JsonObject> loginFailures(TestLanyard lanyard) {
    return lanyard.server().storage().transactionBlocking(s -> s.audit().query(
            new AuditQuery("default", null, "login", null, null), 0, 100)).stream()
        .filter(e -> "failure".equals(e.outcome())).map(AuditEvent::details).map(JsonObject::new).toList();
  }

  @Test
  @DisplayName("wrong password and unknown user are audited login failures; a wait, then a lockout shared with the sign-in page")
  void auditedAndThrottled() throws Exception {
    try (TestLanyard lanyard = TestLanyard.start(dir, Map.of("login.freeFailures", "1", "login.maxDelay", "1s",
        "login.lockoutThreshold", "3"))) {
      String good = TestLanyard.ADMIN_PASSWORD;
      assertThat(invalidGrant(grant(lanyard, "admin", "wrong-1")).getString("error_description"))
          .isEqualTo("invalid username or password");
      assertThat(invalidGrant(grant(lanyard, "nobody", "whatever")).getString("error_description"))
          .isEqualTo("invalid username or password");
      List<JsonObject> failures = loginFailures(lanyard);
      assertThat(failures).extracting(d -> d.getString("login")).containsExactlyInAnyOrder("admin", "nobody");
      assertThat(failures).allSatisfy(d -> {
        assertThat(d.getString("reason")).isEqualTo("wrong_credentials");
        assertThat(d.getString("grant")).isEqualTo("password");
        assertThat(d.getString("client")).isEqualTo("kubernetes");
        assertThat(d.encode()).doesNotContain("wrong-1", "whatever");
      });

      String waiting = invalidGrant(grant(lanyard, "admin", good)).getString("error_description");
      assertThat(waiting).contains("wait 1 second");
      Thread.sleep(1_100);
      invalidGrant(grant(lanyard, "admin", "wrong-2"));
      Thread.sleep(1_100);
      invalidGrant(grant(lanyard, "admin", "wrong-3"));
      Thread.sleep(1_100);
      assertThat(invalidGrant(grant(lanyard, "admin", good)).getString("error_description")).contains("locked");

      BrowserClient browser = new BrowserClient(lanyard);
      HttpResponse<String> page = browser.get("/t/default/login");
      HttpResponse<String> locked = browser.postForm("/t/default/login", Map.of("csrf",
          BrowserClient.csrf(page.body()), "username", "admin", "password", good));
      assertThat(locked.statusCode()).isEqualTo(429);
      assertThat(locked.body()).contains("This account is locked after too many failed sign-ins.");

      assertThat(loginFailures(lanyard)).extracting(d -> d.getString("reason"))
          .contains("throttled", "locked").filteredOn("wrong_credentials"::equals).hasSize(4);
    }
  }

  @Test
  @DisplayName("a successful password grant forgets the account's failures")
  void successResets() {
    try (TestLanyard lanyard = TestLanyard.start(dir, Map.of("login.freeFailures", "2", "login.maxDelay", "30s"))) {
      String good = TestLanyard.ADMIN_PASSWORD;
      invalidGrant(grant(lanyard, "admin", "wrong"));
      assertThat(grant(lanyard, "admin", good).statusCode()).isEqualTo(200);
      String adminId = lanyard.server().storage().transactionBlocking(s -> s.users().findByUsername("default", "admin"))
          .orElseThrow().id();
      java.util.Optional<LoginFailures> counter = lanyard.server().storage().transactionBlocking(s -> s.loginFailures()
          .find("default", LoginFailures.ACCOUNT, "user:" + adminId));
      assertThat(counter).isEmpty();
      // Without the reset the second of these would be the third failure, and would wait.
      invalidGrant(grant(lanyard, "admin", "wrong"));
      assertThat(invalidGrant(grant(lanyard, "admin", "wrong")).getString("error_description"))
          .isEqualTo("invalid username or password");
      assertThat(invalidGrant(grant(lanyard, "admin", good)).getString("error_description")).contains("wait");
    }
  }
}
