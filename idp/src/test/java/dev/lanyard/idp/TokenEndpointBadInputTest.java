package dev.lanyard.idp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.testing.TestLanyard;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every malformed or refused token request gets its RFC 6749 §5.2 JSON error with the right status. */
class TokenEndpointBadInputTest {
  static final String SECRET = "a-confidential-secret-0123456789";

  @TempDir
  static Path dir;

  static TestLanyard lanyard;

  @BeforeAll
  static void start() throws Exception {
    Path dataDir = dir.resolve("data");
    TestLanyard.start(dataDir).close();
    Path file = dir.resolve("clients.yaml");
    Files.writeString(file, """
        tenants:
          - id: default
            users:
              - {username: alice, email: alice@example.com, emailVerified: true, name: Alice Liddell,
                 password: correct-horse-battery, groups: [dev, ops]}
              - {username: bob, password: bob-password-1234, enabled: false}
            clients:
              - {id: confidential, secret: %s, grants: [password]}
              - {id: no-password, public: true, redirectUris: ["http://localhost:8000"], grants: [authorization_code]}
        """.formatted(SECRET));
    assertThat(Main.run("import", file.toString(), "--data-dir", dataDir.toString())).isZero();
    lanyard = TestLanyard.start(dataDir);
  }

  @AfterAll
  static void stop() {
    lanyard.close();
  }

  private static Map<String, String> form(String... pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) m.put(pairs[i], pairs[i + 1]);
    return m;
  }

  private static void assertError(HttpResponse<String> res, int status, String error) {
    assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
    assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    assertThat(res.headers().firstValue("Cache-Control")).hasValue("no-store");
    JsonObject body = new JsonObject(res.body());
    assertThat(body.getString("error")).isEqualTo(error);
    assertThat(res.body()).doesNotContain("Exception", "\tat ");
  }

  @Test
  @DisplayName("email login, groups and profile claims for an imported user")
  void importedUserGetsClaims() throws Exception {
    HttpResponse<String> res = lanyard.postForm("/t/default/token", form("grant_type", "password", "client_id",
        "kubernetes", "username", "alice@example.com", "password", "correct-horse-battery", "scope",
        "openid email profile groups"), null);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    var claims = dev.lanyard.idp.testing.KubeApiserverVerifier.verify(lanyard, lanyard.issuer("default"),
        "kubernetes", new JsonObject(res.body()).getString("id_token"));
    assertThat(claims.getStringClaim("email")).isEqualTo("alice@example.com");
    assertThat(claims.getBooleanClaim("email_verified")).isTrue();
    assertThat(claims.getStringClaim("preferred_username")).isEqualTo("alice");
    assertThat(claims.getStringClaim("name")).isEqualTo("Alice Liddell");
    assertThat(claims.getStringListClaim("groups")).containsExactly("dev", "ops");
  }

  @Test
  @DisplayName("confidential client: Basic and post credentials work; a wrong or missing secret is invalid_client 401")
  void confidentialClient() {
    Map<String, String> login = form("grant_type", "password", "username", "alice", "password",
        "correct-horse-battery", "scope", "openid");
    assertThat(lanyard.postForm("/t/default/token", login, "confidential:" + SECRET).statusCode()).isEqualTo(200);
    Map<String, String> posted = new LinkedHashMap<>(login);
    posted.put("client_id", "confidential");
    posted.put("client_secret", SECRET);
    assertThat(lanyard.postForm("/t/default/token", posted, null).statusCode()).isEqualTo(200);
    HttpResponse<String> wrong = lanyard.postForm("/t/default/token", login, "confidential:wrong-secret-0123456789");
    assertError(wrong, 401, "invalid_client");
    assertThat(wrong.headers().firstValue("WWW-Authenticate")).isPresent();
    Map<String, String> noSecret = new LinkedHashMap<>(login);
    noSecret.put("client_id", "confidential");
    assertError(lanyard.postForm("/t/default/token", noSecret, null), 401, "invalid_client");
    // Both methods at once is ambiguous.
    assertError(lanyard.postForm("/t/default/token", posted, "confidential:" + SECRET), 400, "invalid_request");
  }

  @Test
  void unknownClientIsInvalidClient() {
    assertError(lanyard.postForm("/t/default/token", form("grant_type", "password", "client_id", "nobody",
        "username", "alice", "password", "x"), null), 401, "invalid_client");
  }

  @Test
  void noClientAtAllIsInvalidClient() {
    assertError(lanyard.postForm("/t/default/token", form("grant_type", "password", "username", "alice",
        "password", "x"), null), 401, "invalid_client");
  }

  @Test
  void unknownTenantIs404Json() {
    assertError(lanyard.postForm("/t/nowhere/token", form("grant_type", "password", "client_id", "kubernetes",
        "username", "alice", "password", "x"), null), 404, "not_found");
    assertError(lanyard.get("/t/nowhere/.well-known/openid-configuration"), 404, "not_found");
    assertError(lanyard.get("/t/nowhere/jwks"), 404, "not_found");
    assertError(lanyard.get("/t/NOT..valid/jwks"), 404, "not_found");
  }

  @Test
  void wrongPasswordUnknownUserAndDisabledUserAreInvalidGrant() {
    HttpResponse<String> wrong = lanyard.postForm("/t/default/token", form("grant_type", "password", "client_id",
        "kubernetes", "username", "alice", "password", "not-her-password"), null);
    HttpResponse<String> unknown = lanyard.postForm("/t/default/token", form("grant_type", "password", "client_id",
        "kubernetes", "username", "mallory", "password", "whatever"), null);
    assertError(wrong, 400, "invalid_grant");
    assertError(unknown, 400, "invalid_grant");
    // The same answer for both: it does not reveal which usernames exist.
    assertThat(wrong.body()).isEqualTo(unknown.body());
    assertError(lanyard.postForm("/t/default/token", form("grant_type", "password", "client_id", "kubernetes",
        "username", "bob", "password", "bob-password-1234"), null), 400, "invalid_grant");
  }

  @Test
  void missingParametersAreInvalidRequest() {
    assertError(lanyard.postForm("/t/default/token", form("client_id", "kubernetes"), null), 400, "invalid_request");
    assertError(lanyard.postForm("/t/default/token", form("grant_type", "password", "client_id", "kubernetes",
        "username", "alice"), null), 400, "invalid_request");
  }

  @Test
  void repeatedParameterIsInvalidRequest() {
    assertError(lanyard.postRaw("/t/default/token", "application/x-www-form-urlencoded",
        "grant_type=password&client_id=kubernetes&username=alice&username=bob&password=x"), 400, "invalid_request");
  }

  @Test
  void unknownGrantTypeIsUnsupported() {
    assertError(lanyard.postForm("/t/default/token", form("grant_type", "magic", "client_id", "kubernetes"), null),
        400, "unsupported_grant_type");
  }

  @Test
  void clientWithoutPasswordGrantIsUnauthorizedClient() {
    assertError(lanyard.postForm("/t/default/token", form("grant_type", "password", "client_id", "no-password",
        "username", "alice", "password", "correct-horse-battery"), null), 400, "unauthorized_client");
  }

  @Test
  void jsonBodyIsInvalidRequest() {
    assertError(lanyard.postRaw("/t/default/token", "application/json", "{\"grant_type\":\"password\"}"), 400,
        "invalid_request");
  }

  @Test
  void malformedBasicHeaderIsInvalidClient() {
    HttpResponse<String> res = lanyard.send(HttpRequest.newBuilder(URI.create(lanyard.baseUrl() + "/t/default/token"))
        .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", "Basic %%%notbase64")
        .POST(HttpRequest.BodyPublishers.ofString("grant_type=password")));
    assertError(res, 401, "invalid_client");
  }

  @Test
  @DisplayName("a form body with a broken percent escape is invalid_request, not a form with fields missing")
  void brokenPercentEscapeIsInvalidRequest() {
    for (String body : List.of("grant_type=password&username=alice&password=%zz", "grant_type=password%")) {
      HttpResponse<String> res = lanyard.postRaw("/t/default/token", "application/x-www-form-urlencoded", body);
      assertError(res, 400, "invalid_request");
      assertThat(new JsonObject(res.body()).getString("error_description")).as(body)
          .contains("application/x-www-form-urlencoded");
    }
  }

  @Test
  @DisplayName("form fields decode as clients encode them: percent escapes, + for space, only & separates")
  void formFieldsDecodeAsEncoded() {
    HttpResponse<String> ok = lanyard.send(HttpRequest.newBuilder(URI.create(lanyard.baseUrl() + "/t/default/token"))
        .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
        .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(("confidential:" + SECRET).getBytes()))
        .POST(HttpRequest.BodyPublishers.ofString("grant_type=pass%77ord&username=%61lice&password=correct%2Dhorse-battery")));
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(new JsonObject(ok.body()).getString("access_token")).isNotBlank();

    HttpResponse<String> plus = lanyard.postForm("/t/default/token", form("grant_type", "pass word"), "confidential:" + SECRET);
    assertError(plus, 400, "unsupported_grant_type");
    assertThat(new JsonObject(plus.body()).getString("error_description")).contains("pass word");

    HttpResponse<String> semicolon = lanyard.postRaw("/t/default/token", "application/x-www-form-urlencoded",
        "grant_type=password;client_id=confidential");
    // One field whose value has a semicolon; were ';' a separator this would be an unauthenticated password grant.
    assertError(semicolon, 400, "unsupported_grant_type");
    assertThat(new JsonObject(semicolon.body()).getString("error_description")).contains("password;client_id=confidential");
  }

  @Test
  @DisplayName("an oversized body is refused with 413 JSON, not read into memory")
  void oversizedBodyIs413() {
    String huge = "grant_type=password&username=" + "a".repeat(2_000_000);
    HttpResponse<String> res = lanyard.postRaw("/t/default/token", "application/x-www-form-urlencoded", huge);
    assertThat(res.statusCode()).isEqualTo(413);
    assertThat(res.body()).doesNotContain("Exception");
  }

  @Test
  void overlongParameterIsInvalidRequest() {
    assertError(lanyard.postForm("/t/default/token", form("grant_type", "password", "client_id", "kubernetes",
        "username", "a".repeat(5_000), "password", "x"), null), 400, "invalid_request");
  }

  @Test
  void unknownPathIs404Json() {
    assertError(lanyard.get("/t/default/nothing-here"), 404, "not_found");
  }

  @Test
  @DisplayName("another method than POST on the token, introspection, revocation and device endpoints is a 405 naming POST")
  void otherMethodsAre405() {
    for (String path : List.of("/t/default/token", "/t/default/introspect", "/t/default/revoke", "/t/default/device/code")) {
      for (String method : List.of("GET", "PUT", "DELETE")) {
        HttpResponse<String> res = lanyard.send(HttpRequest.newBuilder(URI.create(lanyard.baseUrl() + path))
            .method(method, HttpRequest.BodyPublishers.noBody()));
        assertError(res, 405, "invalid_request");
        assertThat(res.headers().firstValue("Allow")).as(method + " " + path).hasValue("POST");
      }
    }
  }
}
