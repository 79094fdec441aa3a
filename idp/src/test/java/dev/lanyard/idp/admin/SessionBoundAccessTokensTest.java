package dev.lanyard.idp.admin;

import static dev.lanyard.idp.admin.ConsoleSignInTest.authorizationCode;
import static dev.lanyard.idp.admin.RecreatedClientTest.introspect;
import static dev.lanyard.idp.admin.RecreatedClientTest.userinfo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.testing.BrowserClient;
import dev.lanyard.idp.testing.TestLanyard;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Access tokens from a browser login (authorization code, device code) end with their login session, also without
 * offline_access (no refresh family to revoke): when an administrator ends the session, and when the user signs
 * out (RP-initiated logout).
 */
class SessionBoundAccessTokensTest {
  static final String RS_SECRET = "rs-secret-0123456789abcdef";
  static final String RS = "rs:" + RS_SECRET;

  @TempDir
  static Path dir;

  static TestLanyard lanyard;
  static AdminClient admin;
  static String alice;

  @BeforeAll
  static void start() {
    Path data = TestLanyard.seeded(dir, """
        tenants:
          - id: default
            users:
              - {username: alice, password: alice-password-123}
            clients:
              - {id: rs, secret: %s, grants: [client_credentials]}
              - {id: tv, public: true, grants: [urn:ietf:params:oauth:grant-type:device_code]}
        """.formatted(RS_SECRET));
    lanyard = TestLanyard.start(data);
    admin = AdminClient.login(lanyard, "default", "admin", TestLanyard.ADMIN_PASSWORD);
    alice = admin.ok("/tenants/default/users?q=alice").getJsonArray("items").getJsonObject(0).getString("id");
  }

  @AfterAll
  static void stop() {
    lanyard.close();
  }

  static void assertLive(String accessToken) {
    assertThat(introspect(lanyard, RS, accessToken).getBoolean("active")).isTrue();
    assertThat(userinfo(lanyard, accessToken).statusCode()).isEqualTo(200);
  }

  static void assertDead(String accessToken) {
    assertThat(introspect(lanyard, RS, accessToken)).isEqualTo(new JsonObject().put("active", false));
    assertThat(userinfo(lanyard, accessToken).statusCode()).isEqualTo(401);
  }

  /** The id of alice's newest open login session. */
  static String newestSession() {
    JsonArray sessions = admin.ok("/tenants/default/users/" + alice + "/sessions").getJsonArray("items");
    return sessions.getJsonObject(0).getString("id");
  }

  @Test
  @DisplayName("scope=openid only: an administrator ends the session; its access token is inactive, userinfo 401")
  void administratorEndsTheSession() throws Exception {
    String other = authorizationCode(lanyard, "kubernetes", "http://localhost:18000", "openid", "alice",
        "alice-password-123").getString("access_token");
    JsonObject tokens = authorizationCode(lanyard, "kubernetes", "http://localhost:8000", "openid", "alice",
        "alice-password-123");
    assertThat(tokens.containsKey("refresh_token")).isFalse();
    String accessToken = tokens.getString("access_token");
    assertLive(accessToken);

    admin.expect(204, "DELETE", "/tenants/default/users/" + alice + "/sessions/" + newestSession(), null);
    assertDead(accessToken);
    // The user's other session, and its token, go on.
    assertLive(other);
  }

  @Test
  @DisplayName("scope=openid only: the user signs out (RP-initiated logout); the session's access token is dead")
  void userSignsOut() throws Exception {
    BrowserClient browser = new BrowserClient(lanyard);
    JsonObject tokens = authorizationCode(browser, lanyard, "kubernetes", "http://localhost:8000", "openid", "alice",
        "alice-password-123");
    String accessToken = tokens.getString("access_token");
    assertLive(accessToken);

    HttpResponse<String> out = browser.get("/t/default/logout?id_token_hint=" + tokens.getString("id_token"));
    assertThat(out.statusCode()).as(out.body()).isEqualTo(200);
    assertThat(out.body()).contains("You are signed out");
    assertDead(accessToken);
  }

  @Test
  @DisplayName("device code: the access token ends with the session the device was approved in")
  void deviceCodeTokenEndsWithItsSession() {
    BrowserClient browser = new BrowserClient(lanyard);
    HttpResponse<String> login = browser.get("/t/default/login");
    assertThat(browser.postForm("/t/default/login", Map.of("csrf", BrowserClient.csrf(login.body()),
        "username", "alice", "password", "alice-password-123")).statusCode()).isEqualTo(200);
    HttpResponse<String> started = lanyard.postForm("/t/default/device/code", Map.of("client_id", "tv",
        "scope", "openid"), null);
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    JsonObject device = new JsonObject(started.body());
    HttpResponse<String> form = browser.get("/t/default/device");
    HttpResponse<String> confirm = browser.postForm("/t/default/device", Map.of("csrf",
        BrowserClient.csrf(form.body()), "user_code", device.getString("user_code")));
    assertThat(confirm.statusCode()).as(confirm.body()).isEqualTo(200);
    HttpResponse<String> approved = browser.postForm("/t/default/device", Map.of("csrf",
        BrowserClient.csrf(confirm.body()), "user_code", BrowserClient.hidden(confirm.body(), "user_code"),
        "decision", "approve"));
    assertThat(approved.body()).contains("You may return to your device.");
    HttpResponse<String> polled = lanyard.postForm("/t/default/token", Map.of("grant_type",
        "urn:ietf:params:oauth:grant-type:device_code", "client_id", "tv", "device_code",
        device.getString("device_code")), null);
    assertThat(polled.statusCode()).as(polled.body()).isEqualTo(200);
    String accessToken = new JsonObject(polled.body()).getString("access_token");
    assertLive(accessToken);

    admin.expect(204, "DELETE", "/tenants/default/users/" + alice + "/sessions/" + newestSession(), null);
    assertDead(accessToken);
  }
}
