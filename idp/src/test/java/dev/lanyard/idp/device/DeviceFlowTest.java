package dev.lanyard.idp.device;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.lanyard.idp.testing.KubeApiserverVerifier;
import dev.lanyard.idp.testing.MutableClock;
import dev.lanyard.idp.testing.TestLanyard;
import dev.lanyard.storage.model.DeviceAuthorization;
import dev.lanyard.storage.model.User;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device authorization grant (RFC 8628) over HTTPS against a real Lanyard: the device authorization endpoint,
 * then the token endpoint's answers while the user has not decided, polls too fast, denies, lets the code expire or
 * approves. The user's decision is written through storage here, as the verification page would write it; the page
 * itself is driven in a browser by DeviceVerificationBrowserTest.
 */
class DeviceFlowTest {
  static final String GRANT = DeviceCodeGrant.GRANT_TYPE;
  static final String SECRET = "tv-secret-0123456789abcdef";
  static final String USER_CODE = "[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}";

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
              - {username: alice, email: alice@example.com, emailVerified: true, name: Alice Liddell,
                 password: alice-password-123, groups: [dev, ops]}
              - {username: carol, password: carol-password-123}
            clients:
              - {id: tv, public: true, grants: [urn:ietf:params:oauth:grant-type:device_code]}
              - {id: tv-confidential, secret: %s, grants: [urn:ietf:params:oauth:grant-type:device_code]}
              - {id: web, public: true, redirectUris: ["http://localhost:8000"], grants: [authorization_code]}
          - id: other
            users:
              - {username: alice, password: other-alice-password}
            clients:
              - {id: tv, public: true, grants: [urn:ietf:params:oauth:grant-type:device_code]}
        """.formatted(SECRET));
    lanyard = TestLanyard.start(data, Map.of(), clock);
  }

  @AfterAll
  static void stop() {
    lanyard.close();
  }

  static Map<String, String> form(String... pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) m.put(pairs[i], pairs[i + 1]);
    return m;
  }

  /** A device authorization for public client tv of tenant default. */
  static JsonObject deviceCode(String scope) {
    HttpResponse<String> res = lanyard.postForm("/t/default/device/code", form("client_id", "tv", "scope", scope),
        null);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return new JsonObject(res.body());
  }

  static HttpResponse<String> poll(String tenant, String clientId, String deviceCode) {
    return lanyard.postForm("/t/" + tenant + "/token", form("grant_type", GRANT, "client_id", clientId,
        "device_code", deviceCode), null);
  }

  static HttpResponse<String> poll(String deviceCode) {
    return poll("default", "tv", deviceCode);
  }

  static JsonObject assertError(HttpResponse<String> res, int status, String error) {
    assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
    assertThat(res.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
    assertThat(res.headers().firstValue("Cache-Control")).hasValue("no-store");
    JsonObject body = new JsonObject(res.body());
    assertThat(body.getString("error")).as(res.body()).isEqualTo(error);
    assertThat(res.body()).doesNotContain("Exception", "\tat ");
    return body;
  }

  static String normalised(JsonObject started) {
    return started.getString("user_code").replace("-", "");
  }

  static DeviceAuthorization stored(JsonObject started) {
    return lanyard.server().storage().transactionBlocking(s -> s.deviceAuthorizations()
        .findByUserCode("default", normalised(started))).orElseThrow();
  }

  static User user(String username) {
    return lanyard.server().storage().transactionBlocking(s -> s.users().findByUsername("default", username))
        .orElseThrow();
  }

  /** What the verification page does when a signed-in user presses Approve (or Deny). */
  static void decide(JsonObject started, String username, boolean approve, Instant authTime) {
    DeviceAuthorization a = stored(started);
    String userId = user(username).id();
    boolean changed = lanyard.server().storage().transactionBlocking(s -> approve
        ? s.deviceAuthorizations().approve("default", a.id(), userId, authTime, "session-1", clock.instant())
        : s.deviceAuthorizations().deny("default", a.id(), userId, authTime, "session-1", clock.instant()));
    assertThat(changed).isTrue();
  }

  @Test
  @DisplayName("the whole flow: codes, authorization_pending, slow_down growing the interval, approval, an ID token"
      + " the kube-apiserver accepts, then invalid_grant")
  void wholeFlow() throws Exception {
    HttpResponse<String> started = lanyard.postForm("/t/default/device/code",
        form("client_id", "tv", "scope", "openid profile email groups made-up"), null);
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    assertThat(started.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(started.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
    JsonObject answer = new JsonObject(started.body());
    String deviceCode = answer.getString("device_code");
    String verificationUri = lanyard.issuer("default") + "/device";
    assertThat(deviceCode).startsWith("lyd_").hasSize(53);
    assertThat(answer.getString("user_code")).matches(USER_CODE);
    assertThat(answer.getString("verification_uri")).isEqualTo(verificationUri);
    assertThat(answer.getString("verification_uri_complete"))
        .isEqualTo(verificationUri + "?user_code=" + answer.getString("user_code"));
    assertThat(answer.getLong("expires_in")).isEqualTo(600);
    assertThat(answer.getInteger("interval")).isEqualTo(5);
    assertThat(answer.fieldNames()).containsExactlyInAnyOrder("device_code", "user_code", "verification_uri",
        "verification_uri_complete", "expires_in", "interval");

    DeviceAuthorization pending = stored(answer);
    assertThat(pending.clientId()).isEqualTo("tv");
    assertThat(pending.scopes()).containsExactly("openid", "profile", "email", "groups");
    assertThat(pending.deviceCodeHash()).isNotEqualTo(deviceCode.getBytes());

    // First poll: pending. Second at once: slow_down, and the interval is now 10 s.
    assertError(poll(deviceCode), 400, "authorization_pending");
    assertError(poll(deviceCode), 400, "slow_down");
    assertThat(stored(answer).intervalSeconds()).isEqualTo(10);
    // 6 s later is fine for the old interval but not for the new one: slow_down again, 15 s from now on.
    clock.advance(Duration.ofSeconds(6));
    assertError(poll(deviceCode), 400, "slow_down");
    assertThat(stored(answer).intervalSeconds()).isEqualTo(15);
    clock.advance(Duration.ofSeconds(15));
    assertError(poll(deviceCode), 400, "authorization_pending");
    assertThat(stored(answer).intervalSeconds()).isEqualTo(15);

    Instant authTime = clock.instant().minusSeconds(42);
    decide(answer, "alice", true, authTime);
    clock.advance(Duration.ofSeconds(15));
    HttpResponse<String> tokens = poll(deviceCode);
    assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
    assertThat(tokens.headers().firstValue("Cache-Control")).hasValue("no-store");
    JsonObject body = new JsonObject(tokens.body());
    assertThat(body.getString("token_type")).isEqualTo("Bearer");
    assertThat(body.getString("access_token")).isNotBlank();
    assertThat(body.getString("scope").split(" ")).containsExactlyInAnyOrder("openid", "profile", "email", "groups");
    JWTClaimsSet claims = KubeApiserverVerifier.verify(lanyard, lanyard.issuer("default"), "tv",
        body.getString("id_token"));
    assertThat(claims.getSubject()).isEqualTo(user("alice").id());
    assertThat(claims.getAudience()).contains("tv");
    assertThat(claims.getStringClaim("preferred_username")).isEqualTo("alice");
    assertThat(claims.getStringClaim("email")).isEqualTo("alice@example.com");
    assertThat(claims.getStringListClaim("groups")).containsExactlyInAnyOrder("dev", "ops");
    assertThat(claims.getLongClaim("auth_time")).isEqualTo(authTime.getEpochSecond());
    assertThat(claims.getClaim("nonce")).isNull();

    // Tokens once: the spent code is refused, however patiently polled.
    clock.advance(Duration.ofSeconds(15));
    assertError(poll(deviceCode), 400, "invalid_grant");
  }

  @Test
  @DisplayName("a confidential client asks and polls with its secret (Basic or posted); a wrong secret gets 401")
  void confidentialClient() {
    String basic = "tv-confidential:" + SECRET;
    HttpResponse<String> started = lanyard.postForm("/t/default/device/code", form("scope", "openid"), basic);
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    String deviceCode = new JsonObject(started.body()).getString("device_code");
    assertError(lanyard.postForm("/t/default/token", form("grant_type", GRANT, "device_code", deviceCode), basic),
        400, "authorization_pending");
    clock.advance(Duration.ofSeconds(5));
    assertError(lanyard.postForm("/t/default/token", form("grant_type", GRANT, "device_code", deviceCode,
        "client_id", "tv-confidential", "client_secret", SECRET), null), 400, "authorization_pending");
    assertError(lanyard.postForm("/t/default/token", form("grant_type", GRANT, "device_code", deviceCode),
        "tv-confidential:wrong-secret"), 401, "invalid_client");
    assertError(lanyard.postForm("/t/default/device/code", form("client_id", "tv-confidential"), null),
        401, "invalid_client");
    assertError(lanyard.postForm("/t/default/device/code", form("scope", "openid"), "tv-confidential:nope"),
        401, "invalid_client");
  }

  @Test
  @DisplayName("denied: access_denied on every poll, then expired_token once the code has run out")
  void denied() {
    JsonObject started = deviceCode("openid");
    String deviceCode = started.getString("device_code");
    assertError(poll(deviceCode), 400, "authorization_pending");
    decide(started, "alice", false, clock.instant());
    clock.advance(Duration.ofSeconds(5));
    assertError(poll(deviceCode), 400, "access_denied");
    assertError(poll(deviceCode), 400, "access_denied");
    clock.advance(Duration.ofMinutes(10));
    assertError(poll(deviceCode), 400, "expired_token");
  }

  @Test
  @DisplayName("expired: expired_token at expires_in, the user can no longer approve, and an approved code that"
      + " expires unredeemed gives no tokens")
  void expired() {
    JsonObject started = deviceCode("openid");
    String deviceCode = started.getString("device_code");
    clock.advance(Duration.ofSeconds(599));
    assertError(poll(deviceCode), 400, "authorization_pending");
    clock.advance(Duration.ofSeconds(1));
    assertError(poll(deviceCode), 400, "expired_token");
    DeviceAuthorization a = stored(started);
    String aliceId = user("alice").id();
    boolean approved = lanyard.server().storage().transactionBlocking(s -> s.deviceAuthorizations()
        .approve("default", a.id(), aliceId, clock.instant(), "s", clock.instant()));
    assertThat(approved).isFalse();

    JsonObject approvedLate = deviceCode("openid");
    decide(approvedLate, "alice", true, clock.instant());
    clock.advance(Duration.ofMinutes(10));
    assertError(poll(approvedLate.getString("device_code")), 400, "expired_token");

    // An hour after expiry the clean-up deletes them; a poll then finds nothing.
    ExpiredDeviceAuthorizations cleanUp = new ExpiredDeviceAuthorizations(lanyard.server().storage(), clock);
    assertThat(cleanUp.deleteNow().await()).isZero();
    clock.advance(ExpiredDeviceAuthorizations.GRACE);
    assertThat(cleanUp.deleteNow().await()).isGreaterThanOrEqualTo(2);
    assertError(poll(deviceCode), 400, "invalid_grant");
  }

  @Test
  @DisplayName("concurrent polls of an approved code: exactly one gets tokens, the others invalid_grant")
  void tokensExactlyOnceUnderConcurrentPolls() throws Exception {
    JsonObject started = deviceCode("openid groups");
    decide(started, "alice", true, clock.instant());
    String deviceCode = started.getString("device_code");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<HttpResponse<String>>> polls = new ArrayList<>();
      for (int i = 0; i < 8; i++) polls.add(pool.submit(() -> poll(deviceCode)));
      int ok = 0;
      for (Future<HttpResponse<String>> f : polls) {
        HttpResponse<String> res = f.get();
        if (res.statusCode() == 200) {
          ok++;
          assertThat(new JsonObject(res.body()).getString("id_token")).isNotBlank();
        } else {
          assertError(res, 400, "invalid_grant");
        }
      }
      assertThat(ok).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @DisplayName("a device code is bound to its client and tenant: another client, or the same client id in"
      + " another tenant, gets invalid_grant and its poll does not count")
  void boundToClientAndTenant() {
    JsonObject started = deviceCode("openid");
    String deviceCode = started.getString("device_code");
    decide(started, "alice", true, clock.instant());
    assertError(lanyard.postForm("/t/default/token", form("grant_type", GRANT, "device_code", deviceCode),
        "tv-confidential:" + SECRET), 400, "invalid_grant");
    assertError(poll("other", "tv", deviceCode), 400, "invalid_grant");
    // The right client still gets its tokens.
    HttpResponse<String> tokens = poll(deviceCode);
    assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
  }

  @Test
  @DisplayName("an account disabled after approving gets nothing")
  void disabledAfterApproval() {
    JsonObject started = deviceCode("openid");
    decide(started, "carol", true, clock.instant());
    User carol = user("carol");
    lanyard.server().storage().transactionBlocking(s -> {
      s.users().update(new User(carol.tenantId(), carol.id(), carol.username(), carol.email(),
          carol.emailVerified(), carol.displayName(), false, carol.passwordHash(), carol.createdAt(),
          clock.instant()));
      return null;
    });
    assertError(poll(started.getString("device_code")), 400, "invalid_grant");
  }

  @Test
  @DisplayName("device authorization endpoint: every bad request gets its RFC 6749 error")
  void badDeviceAuthorizationRequests() {
    assertError(lanyard.postForm("/t/default/device/code", form("scope", "openid"), null), 401, "invalid_client");
    assertError(lanyard.postForm("/t/default/device/code", form("client_id", "nobody"), null), 401,
        "invalid_client");
    assertError(lanyard.postForm("/t/default/device/code", form("client_id", "web"), null), 400,
        "unauthorized_client");
    assertError(lanyard.postForm("/t/default/device/code", form("client_id", "tv", "client_secret", "x"), null), 401,
        "invalid_client");
    assertError(lanyard.postRaw("/t/default/device/code", "application/x-www-form-urlencoded",
        "client_id=tv&client_id=tv"), 400, "invalid_request");
    assertError(lanyard.postRaw("/t/default/device/code", "application/json", "{\"client_id\":\"tv\"}"), 400,
        "invalid_request");
    assertError(lanyard.postForm("/t/default/device/code", form("client_id", "tv", "scope", "x".repeat(5_000)),
        null), 400, "invalid_request");
    assertError(lanyard.postRaw("/t/default/device/code", "application/x-www-form-urlencoded",
        "client_id=tv&scope=" + "x".repeat(20_000)), 413, "request_too_large");
    // Over the server's form attribute limit (8 KiB) but within the body limit.
    assertError(lanyard.postRaw("/t/default/device/code", "application/x-www-form-urlencoded",
        "client_id=tv&scope=" + "x".repeat(9_000)), 400, "invalid_request");
    assertError(lanyard.postForm("/t/nowhere/device/code", form("client_id", "tv"), null), 404, "not_found");
    // A public client has no secret to send ("tv:" with an empty one is Go's oauth2 for "none", and accepted).
    assertError(lanyard.postForm("/t/default/device/code", form("client_id", "tv"), "tv:made-up-secret"), 401,
        "invalid_client");
    // Nothing was stored for any of them.
    long count = lanyard.server().storage().transactionBlocking(s -> s.deviceAuthorizations()
        .findByUserCode("default", "BCDFGHJK").isPresent() ? 1L : 0L);
    assertThat(count).isZero();
    // No scope at all is a valid request.
    HttpResponse<String> bare = lanyard.postForm("/t/default/device/code", form("client_id", "tv"), null);
    assertThat(bare.statusCode()).as(bare.body()).isEqualTo(200);
  }

  @Test
  @DisplayName("token endpoint, device grant: missing, malformed, unknown or repeated device_code, and a client"
      + " not allowed the grant")
  void badPolls() {
    String real = deviceCode("openid").getString("device_code");
    assertError(lanyard.postForm("/t/default/token", form("grant_type", GRANT, "client_id", "tv"), null), 400,
        "invalid_request");
    assertError(poll("not-a-device-code"), 400, "invalid_grant");
    // Well formed (checksum and all) but never issued.
    assertError(poll(dev.lanyard.idp.tokens.OpaqueTokenFormat.DEVICE_CODE.generate()), 400, "invalid_grant");
    // One changed character breaks the checksum.
    char last = real.charAt(real.length() - 1);
    assertError(poll(real.substring(0, real.length() - 1) + (last == 'a' ? 'b' : 'a')), 400, "invalid_grant");
    assertError(lanyard.postRaw("/t/default/token", "application/x-www-form-urlencoded", "grant_type=" + GRANT
        + "&client_id=tv&device_code=" + real + "&device_code=" + real), 400, "invalid_request");
    assertError(lanyard.postForm("/t/default/token", form("grant_type", GRANT, "client_id", "web", "device_code",
        real), null), 400, "unauthorized_client");
    assertError(lanyard.postForm("/t/default/token", form("grant_type", GRANT, "device_code", real), null), 401,
        "invalid_client");
    // None of these counted as a poll of the real code.
    assertError(poll(real), 400, "authorization_pending");
  }
}
