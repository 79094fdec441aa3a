package dev.lanyard.idp.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.testing.TestLanyard;
import dev.lanyard.idp.tokens.OpaqueTokenFormat;
import dev.lanyard.storage.model.AuditEvent;
import dev.lanyard.storage.model.AuditQuery;
import dev.lanyard.storage.model.User;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A grant refused with invalid_grant because what the client presented does not work is audited as
 * {@code token.grant.failure}, with the client as actor, once per kind however often it is repeated.
 */
class GrantFailureAuditTest {
  static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

  @TempDir
  static Path dir;

  static TestLanyard lanyard;

  @BeforeAll
  static void start() {
    Path data = TestLanyard.seeded(dir, """
        tenants:
          - id: default
            users:
              - {username: bob, password: bob-password-1234}
            clients:
              - {id: kubelogin, public: true, redirectUris: ["http://localhost:8000"], grants: [password, refresh_token]}
              - {id: cli, public: true, redirectUris: ["http://localhost:8000"], grants: [authorization_code]}
              - {id: tv, public: true, grants: [urn:ietf:params:oauth:grant-type:device_code]}
        """);
    lanyard = TestLanyard.start(data);
  }

  @AfterAll
  static void stop() {
    lanyard.close();
  }

  static List<AuditEvent> failures(Predicate<AuditEvent> which) {
    return lanyard.server().storage().transactionBlocking(s -> s.audit().query(
        new AuditQuery("default", null, GrantFailures.ACTION, null, null), 0, 1000)).stream().filter(which).toList();
  }

  /** Waits for a matching event: the first of a kind is written off the request's path. */
  static AuditEvent awaitFailure(Predicate<AuditEvent> which) throws InterruptedException {
    for (int i = 0; i < 50; i++) {
      List<AuditEvent> found = failures(which);
      if (!found.isEmpty()) return found.get(0);
      Thread.sleep(100);
    }
    throw new AssertionError("no such " + GrantFailures.ACTION + " event");
  }

  static Predicate<AuditEvent> of(String actor, String reason) {
    return e -> actor.equals(e.actor()) && reason.equals(new JsonObject(e.details()).getString("reason"));
  }

  static void assertInvalidGrant(HttpResponse<String> res) {
    assertThat(res.statusCode()).as(res.body()).isEqualTo(400);
    assertThat(new JsonObject(res.body()).getString("error")).isEqualTo("invalid_grant");
  }

  static HttpResponse<String> refresh(String token) {
    return lanyard.postForm("/t/default/token", Map.of("grant_type", "refresh_token", "client_id", "kubelogin",
        "refresh_token", token), null);
  }

  @Test
  @DisplayName("an unknown refresh token, presented many times: one event naming the client, the rest counted")
  void unknownRefreshToken() throws Exception {
    String unknown = OpaqueTokenFormat.REFRESH.generate();
    for (int i = 0; i < 20; i++) assertInvalidGrant(refresh(unknown));
    AuditEvent e = awaitFailure(of("client:kubelogin", "unknown refresh token"));
    assertThat(e.tenantId()).isEqualTo("default");
    assertThat(e.outcome()).isEqualTo("failure");
    assertThat(e.source()).isNotNull();
    assertThat(new JsonObject(e.details()).getString("grant")).isEqualTo("refresh_token");
    // Within the window the other 19 are only counted (a malformed token is the same kind: refused unread).
    assertInvalidGrant(refresh("lyrt_garbage"));
    assertThat(failures(of("client:kubelogin", "unknown refresh token"))).hasSize(1);
  }

  @Test
  @DisplayName("a disabled account's refresh token: the event names the user")
  void disabledAccount() throws Exception {
    HttpResponse<String> login = lanyard.postForm("/t/default/token", Map.of("grant_type", "password",
        "client_id", "kubelogin", "username", "bob", "password", "bob-password-1234", "scope", "openid offline_access"),
        null);
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    String bob = setEnabled("bob", false);
    try {
      assertInvalidGrant(refresh(new JsonObject(login.body()).getString("refresh_token")));
    } finally {
      setEnabled("bob", true);
    }
    assertThat(awaitFailure(of("client:kubelogin", "account disabled")).target()).isEqualTo("user:" + bob);
  }

  @Test
  @DisplayName("an unknown authorization code")
  void unknownAuthorizationCode() throws Exception {
    assertInvalidGrant(lanyard.postForm("/t/default/token", Map.of("grant_type", "authorization_code",
        "client_id", "cli", "code", "made-up-code", "redirect_uri", "http://localhost:8000"), null));
    AuditEvent e = awaitFailure(of("client:cli", "unknown authorization code"));
    assertThat(new JsonObject(e.details()).getString("grant")).isEqualTo("authorization_code");
  }

  @Test
  @DisplayName("an unknown device code, well-formed or not")
  void unknownDeviceCode() throws Exception {
    assertInvalidGrant(lanyard.postForm("/t/default/token", Map.of("grant_type", DEVICE_GRANT, "client_id", "tv",
        "device_code", OpaqueTokenFormat.DEVICE_CODE.generate()), null));
    assertInvalidGrant(lanyard.postForm("/t/default/token", Map.of("grant_type", DEVICE_GRANT, "client_id", "tv",
        "device_code", "lyd_nothing"), null));
    AuditEvent e = awaitFailure(of("client:tv", "unknown device code"));
    assertThat(new JsonObject(e.details()).getString("grant")).isEqualTo(DEVICE_GRANT);
  }

  static String setEnabled(String username, boolean enabled) {
    return lanyard.server().storage().transactionBlocking(s -> {
      User u = s.users().findByUsername("default", username).orElseThrow();
      s.users().update(new User(u.tenantId(), u.id(), u.username(), u.email(), u.emailVerified(), u.displayName(),
          enabled, u.passwordHash(), u.createdAt(), Instant.now()));
      return u.id();
    });
  }
}
