package dev.lanyard.idp.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.testing.BrowserClient;
import dev.lanyard.idp.testing.MutableClock;
import dev.lanyard.idp.testing.TestLanyard;
import dev.lanyard.storage.model.AuditEvent;
import dev.lanyard.storage.model.AuditQuery;
import dev.lanyard.storage.model.DeviceAuthorization;
import dev.lanyard.storage.model.DeviceAuthorizationStatus;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device verification page over HTTPS, one request at a time (a cookie-keeping client that follows no
 * redirects): the login detour, every malformed or forged form, decisions bound to their request, codes of other
 * tenants, and the throttle on guessing with its audit trail.
 */
class DeviceVerificationPageTest {
  static final String PAGE = "/t/default/device";

  @TempDir
  static Path dir;

  static final MutableClock clock = new MutableClock();
  static TestLanyard lanyard;

  @BeforeAll
  static void start() throws Exception {
    Path data = TestLanyard.seeded(dir, """
        tenants:
          - id: default
            users:
              - {username: alice, password: alice-password-123}
              - {username: bob, password: bob-password-1234}
              - {username: mallory, password: mallory-password-1}
              - {username: trent, password: trent-password-12}
            clients:
              - {id: tv, displayName: Living room <TV>, public: true,
                 grants: [urn:ietf:params:oauth:grant-type:device_code]}
          - id: other
            users:
              - {username: alice, password: other-alice-password}
            clients:
              - {id: tv, public: true, grants: [urn:ietf:params:oauth:grant-type:device_code]}
        """);
    // Forms go stale after 2 minutes here, so the test can reach that without ending the login session.
    lanyard = TestLanyard.start(data, Map.of("login.formLifetime", "2m"), clock);
  }

  @AfterAll
  static void stop() {
    lanyard.close();
  }

  static JsonObject deviceCode(String tenant) {
    HttpResponse<String> res = lanyard.postForm("/t/" + tenant + "/device/code", Map.of("client_id", "tv",
        "scope", "openid groups"), null);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return new JsonObject(res.body());
  }

  static String userCode(JsonObject started) {
    return started.getString("user_code");
  }

  static DeviceAuthorization stored(String tenant, JsonObject started) {
    return lanyard.server().storage().transactionBlocking(s -> s.deviceAuthorizations()
        .findByUserCode(tenant, userCode(started).replace("-", ""))).orElseThrow();
  }

  static String location(HttpResponse<String> res) {
    return res.headers().firstValue("Location").orElseThrow(() -> new AssertionError(
        "no Location: " + res.statusCode() + " " + res.body()));
  }

  /** A browser signed in as {@code username} through the login page. */
  static BrowserClient signedIn(String username, String password) {
    BrowserClient browser = new BrowserClient(lanyard);
    HttpResponse<String> page = browser.get("/t/default/login");
    HttpResponse<String> posted = browser.postForm("/t/default/login", Map.of("csrf", BrowserClient.csrf(page.body()),
        "username", username, "password", password));
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
    return browser;
  }

  /** Submits the code form (fetched first, for its CSRF token). */
  static HttpResponse<String> enterCode(BrowserClient browser, String code) {
    HttpResponse<String> form = browser.get(PAGE);
    assertThat(form.statusCode()).as(form.body()).isEqualTo(200);
    return browser.postForm(PAGE, Map.of("csrf", BrowserClient.csrf(form.body()), "user_code", code));
  }

  static Map<String, String> form(String... pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) m.put(pairs[i], pairs[i + 1]);
    return m;
  }

  static void assertPage(HttpResponse<String> res, int status, String text) {
    assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
    assertThat(res.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
    assertThat(res.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(res.body()).contains(text).doesNotContain("Exception", "\tat ");
  }

  static DeviceAuthorizationStatus status(JsonObject started) {
    return stored("default", started).status();
  }

  @Test
  @DisplayName("without a login session: GET and POST go to the login page, which returns to the page with the code")
  void signInFirst() {
    BrowserClient browser = new BrowserClient(lanyard);
    HttpResponse<String> get = browser.get(PAGE + "?user_code=BCDF-GHJK");
    assertThat(get.statusCode()).isEqualTo(302);
    assertThat(location(get)).isEqualTo("/t/default/login?return_to=%2Ft%2Fdefault%2Fdevice%3Fuser_code%3DBCDF-GHJK");
    HttpResponse<String> post = browser.postForm(PAGE, form("csrf", "1.x", "user_code", "bcdf ghjk"));
    assertThat(post.statusCode()).isEqualTo(303);
    String back = URLDecoder.decode(location(post).substring(location(post).indexOf('=') + 1), StandardCharsets.UTF_8);
    assertThat(back).isEqualTo(PAGE + "?user_code=bcdf+ghjk");

    // The login page sends the browser back there after signing in; the code is prefilled, normalised.
    HttpResponse<String> login = browser.get(location(get));
    HttpResponse<String> posted = browser.postForm("/t/default/login", form("csrf", BrowserClient.csrf(login.body()),
        "return_to", BrowserClient.hidden(login.body(), "return_to"), "username", "alice", "password",
        "alice-password-123"));
    assertThat(posted.statusCode()).isEqualTo(303);
    assertThat(location(posted)).isEqualTo(PAGE + "?user_code=BCDF-GHJK");
    HttpResponse<String> page = browser.get(location(posted));
    assertPage(page, 200, "value=\"BCDF-GHJK\"");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("form-action 'self'");
  }

  @Test
  @DisplayName("the confirmation names the client (escaped) and the code; allowing records the user and session")
  void allow() {
    BrowserClient browser = signedIn("alice", "alice-password-123");
    JsonObject started = deviceCode("default");
    HttpResponse<String> confirm = enterCode(browser, userCode(started).toLowerCase());
    assertPage(confirm, 200, "Living room &lt;TV&gt;");
    assertThat(confirm.body()).contains(userCode(started)).contains("The groups you belong to")
        .doesNotContain("<TV>");
    HttpResponse<String> done = browser.postForm(PAGE, form("csrf", BrowserClient.csrf(confirm.body()),
        "user_code", BrowserClient.hidden(confirm.body(), "user_code"), "decision", "approve"));
    assertPage(done, 200, "You may return to your device.");
    DeviceAuthorization a = stored("default", started);
    assertThat(a.status()).isEqualTo(DeviceAuthorizationStatus.APPROVED);
    assertThat(a.userId()).isEqualTo(lanyard.server().storage().transactionBlocking(s -> s.users()
        .findByUsername("default", "alice")).orElseThrow().id());
    assertThat(a.sessionId()).isNotBlank();
    assertThat(a.authTime()).isNotNull();
    assertThat(audit("device.approve")).anySatisfy(e -> assertThat(e.target()).isEqualTo("device:" + a.id()));

    // The same answer again, or the code once more: already used.
    HttpResponse<String> again = browser.postForm(PAGE, form("csrf", BrowserClient.csrf(confirm.body()),
        "user_code", userCode(started), "decision", "deny"));
    assertPage(again, 400, "That code was already used.");
    assertPage(enterCode(browser, userCode(started)), 400, "That code was already used.");
    assertThat(status(started)).isEqualTo(DeviceAuthorizationStatus.APPROVED);
  }

  @Test
  @DisplayName("forged, missing, another session's or another request's CSRF token: 403, nothing decided")
  void forgedForms() {
    BrowserClient alice = signedIn("alice", "alice-password-123");
    BrowserClient bob = signedIn("bob", "bob-password-1234");
    JsonObject first = deviceCode("default");
    JsonObject second = deviceCode("default");
    String code = userCode(first);

    assertPage(alice.postForm(PAGE, form("csrf", "1700000000.AAAA", "user_code", code)), 403, "could not be verified");
    assertPage(alice.postForm(PAGE, form("user_code", code)), 403, "could not be verified");
    String bobsToken = BrowserClient.csrf(bob.get(PAGE).body());
    assertPage(alice.postForm(PAGE, form("csrf", bobsToken, "user_code", code)), 403, "could not be verified");

    // The code form's token does not answer the confirmation, and one confirmation's does not answer another's.
    String codeFormToken = BrowserClient.csrf(alice.get(PAGE).body());
    assertPage(alice.postForm(PAGE, form("csrf", codeFormToken, "user_code", code, "decision", "approve")), 403,
        "could not be verified");
    HttpResponse<String> confirmFirst = enterCode(alice, code);
    assertPage(confirmFirst, 200, "Allow this device?");
    assertPage(alice.postForm(PAGE, form("csrf", BrowserClient.csrf(confirmFirst.body()), "user_code",
        userCode(second), "decision", "approve")), 403, "could not be verified");
    // Bob cannot answer with alice's confirmation either.
    assertPage(bob.postForm(PAGE, form("csrf", BrowserClient.csrf(confirmFirst.body()), "user_code", code,
        "decision", "approve")), 403, "could not be verified");
    // No answer, or a made-up one.
    assertPage(alice.postForm(PAGE, form("csrf", BrowserClient.csrf(confirmFirst.body()), "user_code", code,
        "decision", "maybe")), 400, "The form had no answer.");
    assertThat(status(first)).isEqualTo(DeviceAuthorizationStatus.PENDING);
    assertThat(status(second)).isEqualTo(DeviceAuthorizationStatus.PENDING);
  }

  @Test
  @DisplayName("a stale form is shown again with a message, and decides nothing")
  void staleForms() {
    BrowserClient browser = signedIn("trent", "trent-password-12");
    JsonObject started = deviceCode("default");
    String codeForm = BrowserClient.csrf(browser.get(PAGE).body());
    HttpResponse<String> confirm = enterCode(browser, userCode(started));
    clock.advance(Duration.ofMinutes(3));
    HttpResponse<String> staleCode = browser.postForm(PAGE, form("csrf", codeForm, "user_code", userCode(started)));
    assertPage(staleCode, 400, "The form had expired. Please enter the code again.");
    assertThat(staleCode.body()).contains("value=\"" + userCode(started) + "\"");
    HttpResponse<String> staleAnswer = browser.postForm(PAGE, form("csrf", BrowserClient.csrf(confirm.body()),
        "user_code", userCode(started), "decision", "approve"));
    assertPage(staleAnswer, 200, "The form had expired. Please answer again.");
    assertThat(status(started)).isEqualTo(DeviceAuthorizationStatus.PENDING);
    // The fresh confirmation it showed works.
    HttpResponse<String> done = browser.postForm(PAGE, form("csrf", BrowserClient.csrf(staleAnswer.body()),
        "user_code", userCode(started), "decision", "deny"));
    assertPage(done, 200, "was not allowed to sign in");
    assertThat(status(started)).isEqualTo(DeviceAuthorizationStatus.DENIED);
  }

  @Test
  @DisplayName("bad requests: repeated or oversize parameters, not a form, unknown tenant, empty or other tenant's code")
  void badRequests() {
    BrowserClient browser = signedIn("alice", "alice-password-123");
    assertPage(browser.get(PAGE + "?user_code=A&user_code=B"), 400, "sent more than once");
    assertPage(browser.get(PAGE + "?user_code=" + "B".repeat(65)), 400, "too long");
    String token = BrowserClient.csrf(browser.get(PAGE).body());
    assertPage(browser.send(HttpRequest.newBuilder(java.net.URI.create(lanyard.baseUrl() + PAGE))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("csrf=" + token + "&user_code=A&user_code=B"))), 400,
        "sent more than once");
    assertPage(browser.send(HttpRequest.newBuilder(java.net.URI.create(lanyard.baseUrl() + PAGE))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"))), 400,
        "not sent as a form");
    HttpResponse<String> tooBig = browser.send(HttpRequest.newBuilder(java.net.URI.create(lanyard.baseUrl() + PAGE))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("user_code=" + "B".repeat(20_000))));
    assertThat(tooBig.statusCode()).isEqualTo(413);
    assertPage(browser.get("/t/nowhere/device"), 404, "There is no such page.");
    assertPage(browser.postForm(PAGE, form("csrf", token)), 400, "Enter the code your device shows.");
    // A live code of another tenant is no code here.
    JsonObject elsewhere = deviceCode("other");
    assertPage(browser.postForm(PAGE, form("csrf", token, "user_code", userCode(elsewhere))), 400,
        "That code is not valid.");
    assertThat(stored("other", elsewhere).status()).isEqualTo(DeviceAuthorizationStatus.PENDING);
  }

  @Test
  @DisplayName("guessing: wrong codes are audited; after 3 the session waits, growing; at 10 it is locked even for"
      + " the right code, while another session goes on")
  void guessingIsThrottled() {
    BrowserClient mallory = signedIn("mallory", "mallory-password-1");
    JsonObject started = deviceCode("default");
    long wrongBefore = audit("device.verify").size();
    for (int i = 0; i < 3; i++) {
      assertPage(enterCode(mallory, "ZZZZ-ZZZ" + "BCD".charAt(i)), 400, "That code is not valid.");
    }
    HttpResponse<String> waiting = enterCode(mallory, userCode(started));
    assertPage(waiting, 429, "Too many wrong codes. Wait 1 second,");
    assertThat(waiting.headers().firstValue("Retry-After")).hasValue("1");
    // Malformed codes count too; the waits double: 1 s, 2 s, 4 s ...
    for (int i = 3; i < 10; i++) {
      clock.advance(Duration.ofSeconds(1L << (i - 3)));
      assertPage(enterCode(mallory, "not a code " + i), 400, "That code is not valid.");
    }
    clock.advance(Duration.ofMinutes(1));
    HttpResponse<String> locked = enterCode(mallory, userCode(started));
    assertPage(locked, 429, "Too many wrong codes. Wait 14 minutes");
    assertThat(status(started)).isEqualTo(DeviceAuthorizationStatus.PENDING);
    // A refusal costs its sender nothing: more of them are counted, not stored one by one.
    for (int i = 0; i < 5; i++) assertPage(enterCode(mallory, userCode(started)), 429, "Too many wrong codes.");
    // Refusals are stored in the background.
    for (int i = 0; i < 50 && audit("device.verify").size() - wrongBefore < 12; i++) sleep(100);
    sleep(300);
    List<AuditEvent> wrong = audit("device.verify");
    assertThat(wrong.size() - wrongBefore).isEqualTo(12);
    assertThat(wrong).allSatisfy(e -> assertThat(e.outcome()).isEqualTo("failure"));
    assertThat(wrong.get(0).actor()).isEqualTo("user:default/mallory");
    assertThat(wrong.get(0).details()).contains("\"reason\":\"locked\"").doesNotContain(userCode(started));
    assertThat(wrong).anySatisfy(e -> assertThat(e.details()).contains("unknown_code"));

    // Another session from the same address is not locked by mallory's session (the address has its own, larger count).
    BrowserClient alice = signedIn("alice", "alice-password-123");
    assertPage(enterCode(alice, userCode(started)), 200, "Allow this device?");
    clock.advance(Duration.ofMinutes(15));
    assertPage(enterCode(mallory, userCode(deviceCode("default"))), 200, "Allow this device?");
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<AuditEvent> audit(String action) {
    return lanyard.server().storage().transactionBlocking(s -> s.audit().query(new AuditQuery("default", null, action,
        null, null), 0, 1_000));
  }
}
