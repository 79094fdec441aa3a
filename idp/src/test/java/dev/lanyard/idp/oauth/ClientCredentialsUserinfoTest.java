package dev.lanyard.idp.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.lanyard.idp.Main;
import dev.lanyard.idp.testing.KubeApiserverVerifier;
import dev.lanyard.idp.testing.TestLanyard;
import dev.lanyard.idp.tokens.AccessToken;
import dev.lanyard.idp.tokens.AccessTokenSeal;
import dev.lanyard.storage.model.AuditQuery;
import dev.lanyard.storage.model.PrincipalType;
import dev.lanyard.storage.model.Robot;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client_credentials grant for a client's robot, client authentication, and userinfo, over HTTPS against a
 * real Lanyard; ID tokens verified with Nimbus as the kube-apiserver verifies them.
 */
class ClientCredentialsUserinfoTest {
  static final String CI_SECRET = "ci-secret-0123456789abcdef";
  static final String CI = "ci:" + CI_SECRET;

  @TempDir
  static Path dir;

  static TestLanyard lanyard;
  static String adminToken;
  static String robotId;

  @BeforeAll
  static void start() throws Exception {
    Path data = dir.resolve("data");
    TestLanyard.start(data).close();
    // The robots first, with the fixed ids the assertions use, then clients linked to them by name.
    try (TestLanyard first = TestLanyard.start(data)) {
      first.server().storage().transactionBlocking(s -> {
        Instant now = Instant.now();
        s.robots().create(new Robot("default", "robot-ci-id", "ci-bot", null, true, now, now));
        s.robots().create(new Robot("default", "robot-off-id", "off-bot", null, false, now, now));
        s.groups().create(new dev.lanyard.storage.model.Group("default", "g-deployers", "deployers", now));
        s.robots().setGroups("default", "robot-ci-id", java.util.Set.of("g-deployers"));
        return null;
      });
    }
    Path file = dir.resolve("clients.yaml");
    Files.writeString(file, """
        tenants:
          - id: default
            users:
              - {username: alice, email: alice@example.com, emailVerified: true, name: Alice, password: alice-password-123, groups: [dev]}
            clients:
              - {id: ci, secret: %s, grants: [client_credentials], robot: ci-bot}
              - {id: off, secret: %s, grants: [client_credentials], robot: off-bot}
              - {id: unlinked, secret: %s, grants: [client_credentials]}
              - {id: public-cc, public: true, grants: [password]}
              - {id: kubelogin, public: true, redirectUris: ["http://localhost:8000"], grants: [password, refresh_token]}
        """.formatted(CI_SECRET, CI_SECRET, CI_SECRET));
    assertThat(Main.run("import", file.toString(), "--data-dir", data.toString())).isZero();
    lanyard = TestLanyard.start(data);
    robotId = "robot-ci-id";
    HttpResponse<String> login = lanyard.send(HttpRequest.newBuilder(URI.create(lanyard.baseUrl() + "/admin/api/v1/login"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(new JsonObject()
            .put("tenant", "default").put("username", "admin").put("password", TestLanyard.ADMIN_PASSWORD).encode())));
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    adminToken = new JsonObject(login.body()).getString("token");
  }

  @AfterAll
  static void stop() {
    lanyard.close();
  }

  static HttpResponse<String> clientCredentials(String basic, String scope) {
    return lanyard.postForm("/t/default/token", scope == null ? Map.of("grant_type", "client_credentials")
        : Map.of("grant_type", "client_credentials", "scope", scope), basic);
  }

  static HttpResponse<String> userinfo(String method, String bearer, String formToken) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(lanyard.baseUrl() + "/t/default/userinfo"));
    if (bearer != null) b.header("Authorization", "Bearer " + bearer);
    if ("POST".equals(method)) {
      b.header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(formToken == null ? "" : "access_token=" + formToken));
    } else {
      b.GET();
    }
    return lanyard.send(b);
  }

  static HttpResponse<String> admin(String method, String path, JsonObject body) {
    return lanyard.send(HttpRequest.newBuilder(URI.create(lanyard.baseUrl() + "/admin/api/v1" + path))
        .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  static JsonObject aliceTokens(String scope) {
    HttpResponse<String> res = lanyard.postForm("/t/default/token", Map.of("grant_type", "password", "client_id",
        "kubelogin", "username", "alice", "password", "alice-password-123", "scope", scope), null);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return new JsonObject(res.body());
  }

  static void assertBearerError(HttpResponse<String> res, int status, String error) {
    assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
    String challenge = res.headers().firstValue("WWW-Authenticate").orElseThrow();
    assertThat(challenge).startsWith("Bearer realm=\"lanyard\"");
    if (error != null) assertThat(challenge).contains("error=\"" + error + "\"");
    else assertThat(challenge).doesNotContain("error=");
  }

  @Test
  @DisplayName("client_credentials with openid: an access token and an RS256 ID token for the client's robot")
  void robotTokens() throws Exception {
    HttpResponse<String> res = clientCredentials(CI, "openid groups offline_access");
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    JsonObject tokens = new JsonObject(res.body());
    assertThat(tokens.getString("access_token")).startsWith("lyat_");
    assertThat(tokens.getString("token_type")).isEqualTo("Bearer");
    assertThat(tokens.containsKey("refresh_token")).isFalse();
    assertThat(tokens.getString("scope")).isEqualTo("openid groups");
    JWTClaimsSet claims = KubeApiserverVerifier.verify(lanyard, lanyard.issuer("default"), "ci",
        tokens.getString("id_token"));
    assertThat(claims.getSubject()).isEqualTo(robotId);
    assertThat(claims.getStringClaim("preferred_username")).isEqualTo("robot:ci-bot");
    assertThat(claims.getStringListClaim("groups")).containsExactly("deployers");
    assertThat(claims.getStringClaim("azp")).isEqualTo("ci");
    assertThat(claims.getStringClaim("at_hash")).isEqualTo(RefreshTokenGrantTest.atHash(tokens.getString("access_token")));

    // client_secret_post works as well; without openid there is no ID token.
    HttpResponse<String> posted = lanyard.postForm("/t/default/token", Map.of("grant_type", "client_credentials",
        "client_id", "ci", "client_secret", CI_SECRET), null);
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
    assertThat(new JsonObject(posted.body()).containsKey("id_token")).isFalse();

    var events = lanyard.server().storage().transactionBlocking(s -> s.audit().query(
        new AuditQuery("default", null, "token.client_credentials", null, null), 0, 10));
    assertThat(events).anySatisfy(e -> {
      assertThat(e.actor()).isEqualTo("client:ci");
      assertThat(e.target()).isEqualTo("robot:" + robotId);
    });
  }

  @Test
  @DisplayName("client_credentials refuses public, unlinked and disabled-robot clients")
  void refusals() {
    HttpResponse<String> pub = lanyard.postForm("/t/default/token", Map.of("grant_type", "client_credentials",
        "client_id", "public-cc"), null);
    assertThat(pub.statusCode()).isEqualTo(400); // public-cc may not use the grant at all
    assertThat(new JsonObject(pub.body()).getString("error")).isEqualTo("unauthorized_client");

    HttpResponse<String> unlinked = clientCredentials("unlinked:" + CI_SECRET, "openid");
    assertThat(unlinked.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(unlinked.body()).getString("error")).isEqualTo("unauthorized_client");

    HttpResponse<String> off = clientCredentials("off:" + CI_SECRET, "openid");
    assertThat(off.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(off.body()).getString("error")).isEqualTo("unauthorized_client");
  }

  @Test
  @DisplayName("wrong secret: 401 invalid_client with WWW-Authenticate Basic, audited; missing or doubled credentials")
  void clientAuthentication() {
    HttpResponse<String> wrong = clientCredentials("ci:wrong-secret", null);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(wrong.body()).getString("error")).isEqualTo("invalid_client");
    assertThat(wrong.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Basic");
    // A remembered good secret does not let a wrong one through (constant-time compare of SHA-256s).
    assertThat(clientCredentials(CI, null).statusCode()).isEqualTo(200);
    assertThat(clientCredentials("ci:" + CI_SECRET + "x", null).statusCode()).isEqualTo(401);

    HttpResponse<String> none = lanyard.postForm("/t/default/token", Map.of("grant_type", "client_credentials",
        "client_id", "ci"), null);
    assertThat(none.statusCode()).isEqualTo(401);
    HttpResponse<String> both = lanyard.postForm("/t/default/token", Map.of("grant_type", "client_credentials",
        "client_secret", CI_SECRET), CI);
    assertThat(both.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(both.body()).getString("error")).isEqualTo("invalid_request");
    HttpResponse<String> unknown = clientCredentials("nobody:" + CI_SECRET, null);
    assertThat(unknown.statusCode()).isEqualTo(401);
    // A public client presenting a secret is refused; presenting "id:" in Basic (Go's oauth2 does) is no secret.
    assertThat(lanyard.postForm("/t/default/token", Map.of("grant_type", "password", "username", "alice",
        "password", "alice-password-123", "client_secret", "x", "client_id", "kubelogin"), null).statusCode())
        .isEqualTo(401);
    assertThat(lanyard.postForm("/t/default/token", Map.of("grant_type", "password", "username", "alice",
        "password", "alice-password-123"), "kubelogin:").statusCode()).isEqualTo(200);

    var events = lanyard.server().storage().transactionBlocking(s -> s.audit().query(
        new AuditQuery("default", null, "client.auth.failure", null, null), 0, 100));
    assertThat(events).anySatisfy(e -> {
      assertThat(e.actor()).isEqualTo("client:ci");
      assertThat(e.outcome()).isEqualTo("failure");
    });
  }

  @Test
  @DisplayName("the admin API links a confidential client to a robot, shows it, and refuses a public client or unknown robot")
  void adminLinksClientToRobot() {
    HttpResponse<String> created = admin("POST", "/tenants/default/clients", new JsonObject().put("id", "deployer")
        .put("type", "confidential").put("grantTypes", List.of("client_credentials")).put("robot", robotId));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonObject client = new JsonObject(created.body());
    assertThat(client.getString("robot")).isEqualTo(robotId);
    HttpResponse<String> res = clientCredentials("deployer:" + client.getString("secret"), "openid");
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);

    HttpResponse<String> unlinked = admin("PUT", "/tenants/default/clients/deployer",
        new JsonObject().putNull("robot"));
    assertThat(unlinked.statusCode()).as(unlinked.body()).isEqualTo(200);
    assertThat(new JsonObject(unlinked.body()).getValue("robot")).isNull();
    assertThat(clientCredentials("deployer:" + client.getString("secret"), "openid").statusCode()).isEqualTo(400);

    assertThat(admin("PUT", "/tenants/default/clients/deployer", new JsonObject().put("robot", "no-such-robot"))
        .statusCode()).isEqualTo(400);
    assertThat(admin("PUT", "/tenants/default/clients/kubelogin", new JsonObject().put("robot", robotId))
        .statusCode()).isEqualTo(400);
  }

  @Test
  @DisplayName("userinfo: GET with a bearer header, POST with a form token; sub equals the ID token's")
  void userinfoForAUser() throws Exception {
    JsonObject tokens = aliceTokens("openid profile email groups");
    JWTClaimsSet idToken = KubeApiserverVerifier.verify(lanyard, lanyard.issuer("default"), "kubelogin",
        tokens.getString("id_token"));
    HttpResponse<String> get = userinfo("GET", tokens.getString("access_token"), null);
    assertThat(get.statusCode()).as(get.body()).isEqualTo(200);
    assertThat(get.headers().firstValue("Cache-Control")).contains("no-store");
    JsonObject claims = new JsonObject(get.body());
    assertThat(claims.getString("sub")).isEqualTo(idToken.getSubject());
    assertThat(claims.getString("preferred_username")).isEqualTo("alice");
    assertThat(claims.getString("name")).isEqualTo("Alice");
    assertThat(claims.getString("email")).isEqualTo("alice@example.com");
    assertThat(claims.getBoolean("email_verified")).isTrue();
    assertThat(claims.getJsonArray("groups").getList()).containsExactly("dev");

    HttpResponse<String> post = userinfo("POST", null, tokens.getString("access_token"));
    assertThat(post.statusCode()).as(post.body()).isEqualTo(200);
    assertThat(new JsonObject(post.body())).isEqualTo(claims);

    // Scopes decide the claims.
    JsonObject narrow = new JsonObject(userinfo("GET", aliceTokens("openid").getString("access_token"), null).body());
    assertThat(narrow.fieldNames()).containsExactly("sub");
  }

  @Test
  @DisplayName("userinfo for a robot's access token: sub, robot:NAME and its groups")
  void userinfoForARobot() {
    JsonObject tokens = new JsonObject(clientCredentials(CI, "openid").body());
    HttpResponse<String> res = userinfo("GET", tokens.getString("access_token"), null);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    assertThat(new JsonObject(res.body())).isEqualTo(new JsonObject().put("sub", robotId)
        .put("preferred_username", "robot:ci-bot").put("groups", new io.vertx.core.json.JsonArray().add("deployers")));
  }

  @Test
  @DisplayName("userinfo errors: no token 401, bad/revoked token 401 invalid_token, no openid 403, two ways 400")
  void userinfoErrors() {
    assertBearerError(userinfo("GET", null, null), 401, null);
    assertBearerError(userinfo("GET", "garbage", null), 401, "invalid_token");
    JsonObject tokens = aliceTokens("openid offline_access");
    // Well formed, but sealed under another key (another installation's master key), or altered by one character.
    String foreign = new AccessTokenSeal(new byte[32]).seal(new AccessToken("default", "forged", "kubelogin",
        "kubelogin", PrincipalType.USER, "someone", Set.of("openid"), null, null, Instant.now(),
        Instant.now().plusSeconds(300)));
    assertBearerError(userinfo("GET", foreign, null), 401, "invalid_token");
    String real = tokens.getString("access_token");
    int middle = real.length() / 2;
    String altered = real.substring(0, middle) + (real.charAt(middle) == 'A' ? 'B' : 'A') + real.substring(middle + 1);
    assertBearerError(userinfo("GET", altered, null), 401, "invalid_token");
    // A refresh token is not an access token.
    assertBearerError(userinfo("GET", tokens.getString("refresh_token"), null), 401, "invalid_token");
    assertBearerError(userinfo("POST", tokens.getString("access_token"), tokens.getString("access_token")), 400,
        "invalid_request");
    assertBearerError(userinfo("GET", aliceTokens("profile").getString("access_token"), null), 403,
        "insufficient_scope");
    HttpResponse<String> revoke = lanyard.postForm("/t/default/revoke", Map.of("token", tokens.getString("access_token"),
        "client_id", "kubelogin"), null);
    assertThat(revoke.statusCode()).isEqualTo(200);
    assertBearerError(userinfo("GET", tokens.getString("access_token"), null), 401, "invalid_token");
    // Another tenant's userinfo does not know the token.
    JsonObject fresh = aliceTokens("openid");
    HttpResponse<String> other = lanyard.send(HttpRequest.newBuilder(URI.create(lanyard.baseUrl() + "/t/nope/userinfo"))
        .header("Authorization", "Bearer " + fresh.getString("access_token")).GET());
    assertThat(other.statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName("discovery advertises userinfo, the grant types and offline_access exactly as they work")
  void discovery() {
    JsonObject d = lanyard.getJson("/t/default/.well-known/openid-configuration");
    assertThat(d.getString("userinfo_endpoint")).isEqualTo(lanyard.issuer("default") + "/userinfo");
    assertThat(d.getJsonArray("grant_types_supported").getList())
        .contains("password", "refresh_token", "client_credentials");
    assertThat(d.getJsonArray("scopes_supported").getList()).contains("offline_access");
    assertThat(d.getJsonArray("claims_supported").getList()).contains("at_hash", "auth_time", "azp");
  }
}
