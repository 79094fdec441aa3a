package dev.lanyard.idp.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.testing.TestLanyard;
import dev.lanyard.idp.tokens.OpaqueTokenFormat;
import dev.lanyard.idp.tokens.TokenService;
import dev.lanyard.storage.model.OpaqueToken;
import dev.lanyard.storage.model.PrincipalType;
import dev.lanyard.storage.model.TokenKind;
import dev.lanyard.storage.model.User;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RFC 7662 introspection and RFC 7009 revocation over HTTPS against a real Lanyard. */
class IntrospectionRevocationTest {
  static final String SECRET = "rs-secret-0123456789abcdef";
  static final String CONFIDENTIAL = "resource-server:" + SECRET;

  @TempDir
  static Path dir;

  static TestLanyard lanyard;
  static TokenService tokens;

  @BeforeAll
  static void start() throws Exception {
    Path data = TestLanyard.seeded(dir, """
        tenants:
          - id: default
            users:
              - {username: alice, password: alice-password-123, groups: [dev]}
              - {username: dave, password: dave-password-1234}
            clients:
              - {id: resource-server, secret: %s, grants: [client_credentials]}
              - {id: cli, public: true, redirectUris: ["http://localhost:8000"], grants: [authorization_code]}
              - {id: tv, public: true, grants: [urn:ietf:params:oauth:grant-type:device_code]}
          - id: other
            users:
              - {username: alice, password: other-alice-password}
            clients:
              - {id: resource-server, secret: %s, grants: [client_credentials]}
        """.formatted(SECRET, SECRET));
    lanyard = TestLanyard.start(data);
    tokens = lanyard.server().services().tokens();
  }

  @AfterAll
  static void stop() {
    lanyard.close();
  }

  static String userId(String tenant, String username) {
    return lanyard.server().storage().transactionBlocking(s -> s.users().findByUsername(tenant, username))
        .orElseThrow().id();
  }

  static TokenService.Minted mint(String tenant, String username, Duration ttl, List<String> clusters) {
    return tokens.mint(new TokenService.MintRequest(tenant, TokenKind.KUBERNETES, PrincipalType.USER,
        userId(tenant, username), ttl, clusters, null), "test", null).await();
  }

  static HttpResponse<String> introspect(String tenant, String token, String basic) {
    Map<String, String> form = new HashMap<>();
    if (token != null) form.put("token", token);
    return lanyard.postForm("/t/" + tenant + "/introspect", form, basic);
  }

  static JsonObject introspectOk(String token) {
    HttpResponse<String> res = introspect("default", token, CONFIDENTIAL);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    assertThat(res.headers().firstValue("Cache-Control")).contains("no-store");
    assertThat(res.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
    return new JsonObject(res.body());
  }

  static HttpResponse<String> revoke(String tenant, Map<String, String> form, String basic) {
    return lanyard.postForm("/t/" + tenant + "/revoke", form, basic);
  }

  @Test
  @DisplayName("an active token is introspected with sub, username, exp, iat, token_type, iss, jti")
  void activeToken() {
    TokenService.Minted minted = mint("default", "alice", Duration.ofHours(1), List.of());
    JsonObject answer = introspectOk(minted.secret());
    assertThat(answer.getBoolean("active")).isTrue();
    assertThat(answer.getString("sub")).isEqualTo(userId("default", "alice"));
    assertThat(answer.getString("username")).isEqualTo("alice");
    assertThat(answer.getString("token_type")).isEqualTo("Bearer");
    assertThat(answer.getString("iss")).isEqualTo(lanyard.issuer("default"));
    assertThat(answer.getString("jti")).isEqualTo(minted.token().id());
    assertThat(answer.getLong("exp")).isEqualTo(minted.token().expiresAt().getEpochSecond());
    assertThat(answer.getLong("iat")).isEqualTo(minted.token().createdAt().getEpochSecond());
    assertThat(answer.containsKey("aud")).isFalse();
    assertThat(answer.containsKey("client_id")).isFalse();
  }

  @Test
  @DisplayName("a cluster-bound token names its clusters in aud; client_secret_post works too")
  void boundTokenAndPostedSecret() {
    lanyard.server().services().clusters().register("default", "prod", null, "test", null).await();
    TokenService.Minted minted = mint("default", "alice", null, List.of("prod"));
    HttpResponse<String> res = lanyard.postForm("/t/default/introspect", Map.of("token", minted.secret(),
        "client_id", "resource-server", "client_secret", SECRET, "token_type_hint", "access_token"), null);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    JsonObject answer = new JsonObject(res.body());
    assertThat(answer.getBoolean("active")).isTrue();
    assertThat(answer.getJsonArray("aud").getList()).containsExactly("prod");
  }

  @Test
  @DisplayName("unknown, malformed, oversized, other-tenant, admin-kind and expired tokens are just inactive")
  void badTokensAreInactive() throws Exception {
    String otherTenant = mint("other", "alice", null, List.of()).secret();
    TokenService.Minted shortLived = mint("default", "alice", Duration.ofSeconds(1), List.of());
    String admin = tokens.mint(new TokenService.MintRequest("default", TokenKind.ADMIN, PrincipalType.USER,
        userId("default", "alice"), null, List.of(), null), "test", null).await().secret();
    String valid = mint("default", "alice", null, List.of()).secret();
    String truncated = valid.substring(0, valid.length() - 1);
    Thread.sleep(Math.max(0, Duration.between(Instant.now(), shortLived.token().expiresAt()).toMillis() + 50));
    for (String bad : List.of(OpaqueTokenFormat.KUBERNETES.generate(), "garbage", truncated, "x".repeat(5_000),
        otherTenant, admin, shortLived.secret(), "lyk_\u00e9\u00e9")) {
      JsonObject answer = introspectOk(bad);
      assertThat(answer).as(bad.length() > 60 ? bad.substring(0, 60) : bad)
          .isEqualTo(new JsonObject().put("active", false));
    }
  }

  @Test
  @DisplayName("a real device code and a real webhook credential are just inactive, like any other non-token")
  void deviceCodesAndWebhookCredentialsAreInactive() {
    HttpResponse<String> started = lanyard.postForm("/t/default/device/code", Map.of("client_id", "tv", "scope",
        "openid"), null);
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    String deviceCode = new JsonObject(started.body()).getString("device_code");
    assertThat(deviceCode).startsWith(OpaqueTokenFormat.DEVICE_CODE.prefix());
    String webhook = lanyard.server().services().clusters().register("default", "introspected", null, "test", null)
        .await().credential();
    assertThat(webhook).startsWith(OpaqueTokenFormat.WEBHOOK.prefix());
    for (String token : List.of(deviceCode, webhook)) {
      assertThat(introspectOk(token)).as(token).isEqualTo(new JsonObject().put("active", false));
    }
  }

  @Test
  @DisplayName("GET on /introspect and /revoke is the router's 404 not_found, and revokes nothing")
  void getIsRefused() {
    for (String endpoint : List.of("introspect", "revoke")) {
      String token = mint("default", "alice", null, List.of()).secret();
      HttpResponse<String> res = lanyard.get("/t/default/" + endpoint + "?token=" + token, "Authorization",
          "Basic " + java.util.Base64.getEncoder().encodeToString(CONFIDENTIAL.getBytes()));
      // Only POST is taken (RFC 7662 §2.1, RFC 7009 §2.1): a 405 naming it, nothing revoked.
      assertThat(res.statusCode()).as(endpoint + ": " + res.body()).isEqualTo(405);
      assertThat(res.headers().firstValue("Allow")).hasValue("POST");
      assertThat(new JsonObject(res.body()).getString("error")).isEqualTo("invalid_request");
      assertThat(introspectOk(token).getBoolean("active")).isTrue();
    }
  }

  @Test
  @DisplayName("a disabled user's token is inactive")
  void disabledUser() {
    String token = mint("default", "dave", null, List.of()).secret();
    assertThat(introspectOk(token).getBoolean("active")).isTrue();
    lanyard.server().storage().transactionBlocking(s -> {
      User u = s.users().find("default", userId("default", "dave")).orElseThrow();
      s.users().update(new User(u.tenantId(), u.id(), u.username(), u.email(), u.emailVerified(), u.displayName(),
          false, u.passwordHash(), u.createdAt(), Instant.now()));
      return null;
    });
    assertThat(introspectOk(token).getBoolean("active")).isFalse();
  }

  @Test
  @DisplayName("introspection refuses public clients, wrong secrets and no credentials with 401 invalid_client")
  void introspectionNeedsConfidentialClient() {
    String token = mint("default", "alice", null, List.of()).secret();
    for (HttpResponse<String> res : List.of(
        lanyard.postForm("/t/default/introspect", Map.of("token", token, "client_id", "cli"), null),
        introspect("default", token, "resource-server:wrong-secret"),
        introspect("default", token, null))) {
      assertThat(res.statusCode()).as(res.body()).isEqualTo(401);
      assertThat(new JsonObject(res.body()).getString("error")).isEqualTo("invalid_client");
      assertThat(res.headers().firstValue("WWW-Authenticate")).isPresent();
    }
  }

  @Test
  @DisplayName("malformed requests get RFC 6749 errors: missing token, repeated parameter, wrong content type")
  void malformedRequests() {
    HttpResponse<String> missing = introspect("default", null, CONFIDENTIAL);
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(missing.body()).getString("error")).isEqualTo("invalid_request");

    HttpResponse<String> repeated = lanyard.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(lanyard.baseUrl() + "/t/default/introspect"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(CONFIDENTIAL.getBytes()))
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("token=a&token=b")));
    assertThat(repeated.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(repeated.body()).getString("error")).isEqualTo("invalid_request");

    HttpResponse<String> json = lanyard.postRaw("/t/default/revoke", "application/json", "{\"token\":\"x\"}");
    assertThat(json.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(json.body()).getString("error")).isEqualTo("invalid_request");

    HttpResponse<String> noToken = revoke("default", Map.of("client_id", "cli"), null);
    assertThat(noToken.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(noToken.body()).getString("error")).isEqualTo("invalid_request");
  }

  @Test
  @DisplayName("an unknown tenant is 404 not_found, not a hint about tokens")
  void unknownTenant() {
    HttpResponse<String> res = introspect("nope", OpaqueTokenFormat.KUBERNETES.generate(), CONFIDENTIAL);
    assertThat(res.statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("revocation by a confidential client: 200, then inactive, refused by the webhook and audited")
  void revokeByConfidentialClient() {
    TokenService.Minted minted = mint("default", "alice", null, List.of());
    String credential = lanyard.server().services().clusters().register("default", "revocation-review", null, "test",
        null).await().credential();
    assertThat(introspectOk(minted.secret()).getBoolean("active")).isTrue();
    assertThat(lanyard.tokenReviewStatus("default", credential, minted.secret()).getBoolean("authenticated")).isTrue();
    HttpResponse<String> res = revoke("default", Map.of("token", minted.secret(), "token_type_hint", "refresh_token"),
        CONFIDENTIAL);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    assertThat(res.headers().firstValue("Cache-Control")).contains("no-store");
    assertThat(introspectOk(minted.secret()).getBoolean("active")).isFalse();
    // The webhook's next review refuses it, though the review above may have cached it as valid.
    assertThat(lanyard.tokenReviewStatus("default", credential, minted.secret()).getBoolean("authenticated")).isFalse();
    OpaqueToken stored = lanyard.server().storage()
        .transactionBlocking(s -> s.tokens().find("default", minted.token().id())).orElseThrow();
    assertThat(stored.revokedAt()).isNotNull();
    var events = lanyard.server().storage().transactionBlocking(s -> s.audit().query(
        new dev.lanyard.storage.model.AuditQuery("default", null, "token.revoke", null, null), 0, 100));
    assertThat(events).anySatisfy(e -> {
      assertThat(e.target()).isEqualTo("token:" + minted.token().id());
      assertThat(e.actor()).isEqualTo("client:resource-server");
    });
    // Revoking again, and revoking a made-up token, are 200 too (RFC 7009 §2.2).
    assertThat(revoke("default", Map.of("token", minted.secret()), CONFIDENTIAL).statusCode()).isEqualTo(200);
    assertThat(revoke("default", Map.of("token", OpaqueTokenFormat.KUBERNETES.generate()), CONFIDENTIAL).statusCode())
        .isEqualTo(200);
    assertThat(revoke("default", Map.of("token", "garbage", "token_type_hint", "bogus"), CONFIDENTIAL).statusCode())
        .isEqualTo(200);
  }

  @Test
  @DisplayName("admin tokens, webhook credentials and device codes are not revoked here: 400 unsupported_token_type (RFC 7009 §2.2.1); a mistyped one is a bad token (200)")
  void unsupportedTokenTypes() {
    String admin = tokens.mint(new TokenService.MintRequest("default", TokenKind.ADMIN, PrincipalType.USER,
        userId("default", "admin"), null, List.of(), null), "test", null).await().secret();
    String webhook = lanyard.server().services().clusters().register("default", "revocation-test", null, "test", null)
        .await().credential();
    for (String token : List.of(admin, webhook, OpaqueTokenFormat.ADMIN.generate(),
        OpaqueTokenFormat.DEVICE_CODE.generate())) {
      for (HttpResponse<String> res : List.of(revoke("default", Map.of("token", token), CONFIDENTIAL),
          revoke("default", Map.of("token", token, "client_id", "cli"), null))) {
        assertThat(res.statusCode()).as(res.body()).isEqualTo(400);
        assertThat(new JsonObject(res.body()).getString("error")).isEqualTo("unsupported_token_type");
      }
    }
    String mistyped = admin.substring(0, admin.length() - 1) + (admin.endsWith("0") ? "1" : "0");
    assertThat(revoke("default", Map.of("token", mistyped), CONFIDENTIAL).statusCode()).isEqualTo(200);
    // Nothing was revoked: the admin token and the cluster's credential still work.
    assertThat(lanyard.get("/admin/api/v1/me", "Authorization", "Bearer " + admin).statusCode()).isEqualTo(200);
    assertThat(lanyard.tokenReview("default", webhook, mint("default", "alice", null, List.of()).secret())
        .statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("a public client may revoke a Kubernetes token it holds; the audit event names that client")
  void revokeByPublicClient() {
    TokenService.Minted minted = mint("default", "alice", null, List.of());
    HttpResponse<String> res = revoke("default", Map.of("token", minted.secret(), "client_id", "cli"), null);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    assertThat(introspectOk(minted.secret()).getBoolean("active")).isFalse();
    var events = lanyard.server().storage().transactionBlocking(s -> s.audit().query(
        new dev.lanyard.storage.model.AuditQuery("default", null, "token.revoke", null, null), 0, 100));
    assertThat(events).anySatisfy(e -> {
      assertThat(e.target()).isEqualTo("token:" + minted.token().id());
      assertThat(e.actor()).isEqualTo("client:cli");
      assertThat(e.outcome()).isEqualTo("success");
    });
  }

  @Test
  @DisplayName("a client of tenant B cannot revoke tenant A's token (200, token stays active)")
  void otherTenantCannotRevoke() {
    TokenService.Minted minted = mint("default", "alice", null, List.of());
    assertThat(revoke("other", Map.of("token", minted.secret()), CONFIDENTIAL).statusCode()).isEqualTo(200);
    assertThat(introspectOk(minted.secret()).getBoolean("active")).isTrue();
  }

  @Test
  @DisplayName("revocation without client authentication is 401")
  void revokeNeedsClient() {
    TokenService.Minted minted = mint("default", "alice", null, List.of());
    HttpResponse<String> res = revoke("default", Map.of("token", minted.secret()), null);
    assertThat(res.statusCode()).isEqualTo(401);
    assertThat(introspectOk(minted.secret()).getBoolean("active")).isTrue();
  }

  @Test
  @DisplayName("discovery advertises the introspection and revocation endpoints")
  void discovery() {
    JsonObject doc = lanyard.getJson("/t/default/.well-known/openid-configuration");
    assertThat(doc.getString("introspection_endpoint")).isEqualTo(lanyard.issuer("default") + "/introspect");
    assertThat(doc.getString("revocation_endpoint")).isEqualTo(lanyard.issuer("default") + "/revoke");
  }
}
