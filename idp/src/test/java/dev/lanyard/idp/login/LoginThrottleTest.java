package dev.lanyard.idp.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.testing.BrowserClient;
import dev.lanyard.idp.testing.TestLanyard;
import dev.lanyard.storage.model.AuditEvent;
import dev.lanyard.storage.model.AuditQuery;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The login throttle over HTTPS, on a Lanyard of its own with small numbers: growing waits, then lockouts. */
class LoginThrottleTest {
  @TempDir
  Path dir;

  static HttpResponse<String> login(BrowserClient browser, String username, String password) {
    HttpResponse<String> page = browser.get("/t/default/login");
    return browser.postForm("/t/default/login", Map.of("csrf", BrowserClient.csrf(page.body()), "username", username,
        "password", password));
  }

  @Test
  @DisplayName("per account: a wait after the free failures (429 + Retry-After, password not checked), then a lockout; per address: a lockout for everyone there; all audited")
  void waitsThenLockouts() throws Exception {
    try (TestLanyard lanyard = TestLanyard.start(dir, Map.of("login.freeFailures", "1", "login.maxDelay", "1s",
        "login.lockoutThreshold", "3", "login.addressLockoutThreshold", "4"))) {
      BrowserClient browser = new BrowserClient(lanyard);
      String good = TestLanyard.ADMIN_PASSWORD;
      assertThat(login(browser, "admin", "wrong-1").statusCode()).isEqualTo(401);
      HttpResponse<String> waiting = login(browser, "admin", good);
      assertThat(waiting.statusCode()).isEqualTo(429);
      assertThat(waiting.headers().firstValue("Retry-After")).contains("1");
      assertThat(waiting.body()).contains("Too many failed sign-ins. Wait 1 seconds");
      Thread.sleep(1_100);
      assertThat(login(browser, "admin", "wrong-2").statusCode()).isEqualTo(401);
      Thread.sleep(1_100);
      assertThat(login(browser, "admin", "wrong-3").statusCode()).isEqualTo(401);
      Thread.sleep(1_100);
      HttpResponse<String> locked = login(browser, "admin", good);
      assertThat(locked.statusCode()).isEqualTo(429);
      assertThat(locked.body()).contains("This account is locked after too many failed sign-ins. Try again in 15 minutes.");
      assertThat(browser.cookie("lanyard_session")).isNull();

      // The fourth failure from this address (an unknown user counts too) locks the address for every account.
      assertThat(login(browser, "mallory", "guess").statusCode()).isEqualTo(401);
      HttpResponse<String> network = login(browser, "someone-else", "guess");
      assertThat(network.statusCode()).isEqualTo(429);
      assertThat(network.body()).contains("Too many failed sign-ins from your network.");
      // A refusal costs its sender nothing (the form can be sent again): more of them are counted, not stored.
      for (int i = 0; i < 10; i++) assertThat(login(browser, "admin", good).statusCode()).isEqualTo(429);

      // Refusals are stored in the background: throttled, locked account, locked address.
      List<String> details = failureDetails(lanyard);
      for (int i = 0; i < 50 && details.stream().filter(d -> !d.contains("wrong_credentials")).count() < 3; i++) {
        Thread.sleep(100);
        details = failureDetails(lanyard);
      }
      Thread.sleep(300);
      details = failureDetails(lanyard);
      assertThat(details).filteredOn(d -> d.contains("wrong_credentials")).hasSize(4);
      assertThat(details).filteredOn(d -> !d.contains("wrong_credentials")).hasSize(3);
      assertThat(details).anySatisfy(d -> assertThat(d).contains("throttled"))
          .anySatisfy(d -> assertThat(d).contains("locked")).noneSatisfy(d -> assertThat(d).contains("wrong-"));
    }
  }

  private static List<String> failureDetails(TestLanyard lanyard) {
    return lanyard.server().storage().transactionBlocking(s -> s.audit().query(
        new AuditQuery("default", null, "login", null, null), 0, 100)).stream()
        .filter(e -> "failure".equals(e.outcome())).map(AuditEvent::details).toList();
  }

  @Test
  @DisplayName("a successful sign-in forgets the account's failures")
  void successResets() {
    try (TestLanyard lanyard = TestLanyard.start(dir, Map.of("login.freeFailures", "2", "login.maxDelay", "30s"))) {
      BrowserClient browser = new BrowserClient(lanyard);
      assertThat(login(browser, "admin", "wrong").statusCode()).isEqualTo(401);
      assertThat(login(browser, "admin", TestLanyard.ADMIN_PASSWORD).statusCode()).isEqualTo(200);
      // Without the reset the second of these would be the third failure, and a third attempt would wait.
      assertThat(login(browser, "admin", "wrong").statusCode()).isEqualTo(401);
      assertThat(login(browser, "admin", "wrong").statusCode()).isEqualTo(401);
      assertThat(login(browser, "admin", TestLanyard.ADMIN_PASSWORD).statusCode()).isEqualTo(429);
    }
  }
}
