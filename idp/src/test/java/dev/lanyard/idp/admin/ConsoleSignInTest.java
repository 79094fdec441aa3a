package dev.lanyard.idp.admin;

import static dev.lanyard.idp.authorize.AuthorizationCodeFlowTest.authorizePath;
import static dev.lanyard.idp.authorize.AuthorizationCodeFlowTest.location;
import static dev.lanyard.idp.authorize.AuthorizationCodeFlowTest.queryOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.authorize.AuthorizationCodeFlowTest.Pkce;
import dev.lanyard.idp.testing.BrowserClient;
import dev.lanyard.idp.testing.TestLanyard;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's own sign-in, over HTTPS as its callback page does it: authorization code + PKCE as the public
 * client lanyard-console, then the access token traded for an admin token at POST /admin/api/v1/login.
 */
class ConsoleSignInTest {
  @TempDir
  Path dir;

  @Test
  @DisplayName("code + PKCE as lanyard-console, access token traded once for an admin token; others refused")
  void authorizationCodeSignIn() throws Exception {
    Path data = TestLanyard.seeded(dir, """
        tenants:
          - id: default
            users:
              - {username: dev, password: dev-password-1234}
        """);
    try (TestLanyard lanyard = TestLanyard.start(data)) {
      String redirectUri = lanyard.server().publicUrl() + "/admin/callback.html";
      JsonObject console = lanyard.getJson("/admin/api/v1/console");
      assertThat(console.getString("clientId")).isEqualTo(ConsoleClient.ID);
      assertThat(console.getJsonArray("signIn")).contains("authorization_code");

      String admin = signIn(lanyard, "admin", TestLanyard.ADMIN_PASSWORD, redirectUri);
      HttpResponse<String> traded = trade(lanyard, "default", admin);
      assertThat(traded.statusCode()).as(traded.body()).isEqualTo(200);
      String adminToken = new JsonObject(traded.body()).getString("token");
      assertThat(adminToken).startsWith("lya_");
      HttpResponse<String> me = lanyard.get("/admin/api/v1/me", "Authorization", "Bearer " + adminToken);
      assertThat(me.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(me.body()).encode()).contains("\"admin\"");

      // The access token is spent by the trade; one of another tenant's name does not fit.
      assertThat(trade(lanyard, "default", admin).statusCode()).isEqualTo(401);
      // A signed-in user who is no administrator: 403, and nothing minted.
      String notAdmin = signIn(lanyard, "dev", "dev-password-1234", redirectUri);
      assertThat(trade(lanyard, "default", notAdmin).statusCode()).isEqualTo(403);
      // An access token of another client (the kubelogin client, password grant) is not the console's.
      HttpResponse<String> password = lanyard.postForm("/t/default/token", Map.of("grant_type", "password",
          "client_id", "kubernetes", "username", "admin", "password", TestLanyard.ADMIN_PASSWORD, "scope", "openid"),
          null);
      String kubeloginAccess = new JsonObject(password.body()).getString("access_token");
      assertThat(trade(lanyard, "default", kubeloginAccess).statusCode()).isEqualTo(401);
      // Bad input names the field.
      HttpResponse<String> garbage = trade(lanyard, "default", "lyat_not-a-token");
      assertThat(garbage.statusCode()).isEqualTo(400);
      assertThat(garbage.body()).contains("accessToken");
      // Only the console's own callback on this server may receive a code.
      Map<String, String> q = request(ConsoleClient.ID, Pkce.create(), "https://evil.example/admin/callback.html",
          "openid");
      HttpResponse<String> foreign = new BrowserClient(lanyard).get(authorizePath("default", q));
      assertThat(foreign.statusCode()).isEqualTo(400);
      assertThat(foreign.headers().firstValue("Location")).isEmpty();
    }
  }

  /** The console's sign-in up to its access token. */
  private static String signIn(TestLanyard lanyard, String username, String password, String redirectUri)
      throws Exception {
    return authorizationCode(lanyard, ConsoleClient.ID, redirectUri, "openid profile", username, password)
        .getString("access_token");
  }

  /**
   * A browser's authorization code + PKCE sign-in at tenant {@code default} as {@code clientId}: the authorization
   * request, the login form, the code the redirect carries, and the token response it is redeemed for.
   */
  static JsonObject authorizationCode(TestLanyard lanyard, String clientId, String redirectUri, String scope,
      String username, String password) throws Exception {
    return authorizationCode(new BrowserClient(lanyard), lanyard, clientId, redirectUri, scope, username, password);
  }

  /** As above, in {@code browser}, which keeps the login session's cookie. */
  static JsonObject authorizationCode(BrowserClient browser, TestLanyard lanyard, String clientId, String redirectUri,
      String scope, String username, String password) throws Exception {
    Pkce pkce = Pkce.create();
    HttpResponse<String> first = browser.get(authorizePath("default", request(clientId, pkce, redirectUri, scope)));
    assertThat(first.statusCode()).isEqualTo(302);
    String loginPath = location(first);
    HttpResponse<String> page = browser.get(loginPath);
    HttpResponse<String> posted = browser.postForm("/t/default/login", Map.of("csrf", BrowserClient.csrf(page.body()),
        "return_to", BrowserClient.hidden(page.body(), "return_to"), "username", username, "password", password));
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(303);
    HttpResponse<String> back = browser.get(URLDecoder.decode(
        loginPath.substring(loginPath.indexOf("return_to=") + 10), StandardCharsets.UTF_8));
    assertThat(back.statusCode()).isEqualTo(302);
    String callback = location(back);
    assertThat(callback).startsWith(redirectUri + "?");
    Map<String, String> answer = queryOf(callback);
    assertThat(answer).containsEntry("state", "console-state");
    HttpResponse<String> tokens = lanyard.postForm("/t/default/token", Map.of("grant_type", "authorization_code",
        "code", answer.get("code"), "redirect_uri", redirectUri, "client_id", clientId,
        "code_verifier", pkce.verifier()), null);
    assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
    return new JsonObject(tokens.body());
  }

  private static Map<String, String> request(String clientId, Pkce pkce, String redirectUri, String scope) {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("response_type", "code");
    q.put("client_id", clientId);
    q.put("redirect_uri", redirectUri);
    q.put("scope", scope);
    q.put("state", "console-state");
    q.put("nonce", "console-nonce");
    q.put("code_challenge", pkce.challenge());
    q.put("code_challenge_method", "S256");
    return q;
  }

  private static HttpResponse<String> trade(TestLanyard lanyard, String tenant, String accessToken) {
    return lanyard.send(HttpRequest.newBuilder(URI.create(lanyard.baseUrl() + "/admin/api/v1/login"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("tenant", tenant)
            .put("accessToken", accessToken).encode())));
  }
}
