package dev.lanyard.idp.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.lanyard.idp.testing.BrowserClient;
import dev.lanyard.idp.testing.KubeApiserverVerifier;
import dev.lanyard.idp.testing.LoopbackReceiver;
import dev.lanyard.idp.testing.TestLanyard;
import dev.lanyard.storage.model.AuditEvent;
import dev.lanyard.storage.model.AuditQuery;
import dev.lanyard.storage.model.AuthorizationCode;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The authorization code flow with PKCE over HTTPS against a real Lanyard, driven as kubelogin drives it: a loopback
 * listener on a random port receives the code, the token request follows, and the ID token is verified with Nimbus
 * as the kube-apiserver verifies it. Then every bad input of issue 4 for /authorize, the login page, /token's
 * authorization_code grant and /logout.
 */
public class AuthorizationCodeFlowTest {
  static final String ALICE_PASSWORD = "alice-password-123";
  static final String WEB_SECRET = "web-secret-0123456789abcdef";
  static final SecureRandom RANDOM = new SecureRandom();

  @TempDir
  static Path dir;

  static TestLanyard lanyard;
  static LoopbackReceiver kubelogin;

  @BeforeAll
  static void start() throws Exception {
    Path data = TestLanyard.seeded(dir, """
        tenants:
          - id: default
            users:
              - {username: alice, email: alice@example.com, emailVerified: true, name: Alice Example,
                 password: %s, groups: [dev]}
              - {username: carol, password: carol-password-123, enabled: false}
              - {username: dave, password: dave-password-1234}
            clients:
              - {id: kubectl, displayName: "kubectl <via> kubelogin", public: true,
                 redirectUris: ["http://localhost:8000", "http://127.0.0.1:8000/callback", "urn:ietf:wg:oauth:2.0:oob"],
                 grants: [authorization_code, refresh_token]}
              - {id: web, secret: %s, redirectUris: ["https://app.example/cb?tenant=x"], grants: [authorization_code]}
              - {id: pw-only, public: true, redirectUris: ["http://127.0.0.1:8000/callback"], grants: [password]}
          - id: other
            users:
              - {username: alice, password: other-alice-password}
            clients:
              - {id: kubectl, public: true, redirectUris: ["http://127.0.0.1:8000/callback"], grants: [authorization_code]}
        """.formatted(ALICE_PASSWORD, WEB_SECRET));
    lanyard = TestLanyard.start(data);
    kubelogin = new LoopbackReceiver("/callback");
  }

  @AfterAll
  static void stop() {
    kubelogin.close();
    lanyard.close();
  }

  // ---- helpers

  /** A PKCE verifier and its S256 challenge (also used by the console sign-in test). */
  public record Pkce(String verifier, String challenge) {
    public static Pkce create() throws Exception {
      byte[] bytes = new byte[32];
      RANDOM.nextBytes(bytes);
      String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return new Pkce(verifier, Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
    }
  }

  static String redirectUri() {
    return "http://127.0.0.1:" + kubelogin.port() + "/callback";
  }

  static String random() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** kubelogin's authorization request: code, PKCE S256, state, nonce, access_type=offline; the scopes of `lanyard kubeconfig`. */
  static Map<String, String> kubeloginRequest(Pkce pkce, String state, String nonce) {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("access_type", "offline");
    q.put("client_id", "kubectl");
    q.put("code_challenge", pkce.challenge());
    q.put("code_challenge_method", "S256");
    q.put("nonce", nonce);
    q.put("redirect_uri", redirectUri());
    q.put("response_type", "code");
    q.put("scope", "openid email profile groups offline_access");
    q.put("state", state);
    return q;
  }

  public static String authorizePath(String tenant, Map<String, String> q) {
    return "/t/" + tenant + "/authorize?" + q.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  public static String location(HttpResponse<String> res) {
    return res.headers().firstValue("Location").orElseThrow(() -> new AssertionError(
        "no Location: " + res.statusCode() + " " + res.body()));
  }

  public static Map<String, String> queryOf(String url) {
    return LoopbackReceiver.query(URI.create(url).getRawQuery());
  }

  /** Signs in through the login page the authorize request leads to; returns the authorize URL it comes back to. */
  static String signIn(BrowserClient browser, HttpResponse<String> toLogin, String username, String password) {
    assertThat(toLogin.statusCode()).isEqualTo(302);
    String loginPath = location(toLogin);
    assertThat(loginPath).startsWith("/t/default/login?return_to=");
    HttpResponse<String> page = browser.get(loginPath);
    assertThat(page.statusCode()).isEqualTo(200);
    HttpResponse<String> posted = browser.postForm("/t/default/login", Map.of("csrf", BrowserClient.csrf(page.body()),
        "return_to", BrowserClient.hidden(page.body(), "return_to"), "username", username, "password", password));
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(303);
    return location(posted);
  }

  /** Follows the redirect to the loopback listener, as the browser would, and returns what kubelogin received. */
  static Map<String, String> deliverToKubelogin(HttpResponse<String> authorize) throws Exception {
    assertThat(authorize.statusCode()).as(authorize.body()).isEqualTo(302);
    String to = location(authorize);
    assertThat(to).startsWith(redirectUri() + "?");
    HttpClient plain = HttpClient.newHttpClient();
    HttpResponse<String> done = plain.send(HttpRequest.newBuilder(URI.create(to)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(done.statusCode()).isEqualTo(200);
    return kubelogin.next();
  }

  static HttpResponse<String> redeem(String code, String redirectUri, String verifier, String clientId) {
    Map<String, String> form = new HashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", code);
    form.put("redirect_uri", redirectUri);
    if (verifier != null) form.put("code_verifier", verifier);
    if (clientId != null) form.put("client_id", clientId);
    return lanyard.postForm("/t/default/token", form, null);
  }

  /** A signed-in browser (alice) and the code of one complete kubelogin authorization. */
  static BrowserClient signedInAlice() throws Exception {
    BrowserClient browser = new BrowserClient(lanyard);
    Pkce pkce = Pkce.create();
    HttpResponse<String> first = browser.get(authorizePath("default", kubeloginRequest(pkce, random(), random())));
    String back = signIn(browser, first, "alice", ALICE_PASSWORD);
    deliverToKubelogin(browser.get(back));
    return browser;
  }

  static List<AuditEvent> audit(String action) {
    return lanyard.server().storage().transactionBlocking(s -> s.audit().query(
        new AuditQuery("default", null, action, null, null), 0, 500));
  }

  // ---- the flow

  @Test
  @DisplayName("kubelogin's flow: authorize → login page → loopback listener gets code+state+iss → token → ID token verified as the kube-apiserver does")
  void kubeloginFlowEndToEnd() throws Exception {
    BrowserClient browser = new BrowserClient(lanyard);
    Pkce pkce = Pkce.create();
    String state = random();
    String nonce = random();
    HttpResponse<String> first = browser.get(authorizePath("default", kubeloginRequest(pkce, state, nonce)));
    assertThat(first.statusCode()).isEqualTo(302);
    String loginPath = location(first);
    String returnTo = URLDecoder.decode(loginPath.substring(loginPath.indexOf("return_to=") + 10), StandardCharsets.UTF_8);
    assertThat(returnTo).startsWith("/t/default/authorize?").contains("code_challenge=" + pkce.challenge());

    HttpResponse<String> page = browser.get(loginPath);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
    assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
    String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(csp).contains("default-src 'self'").contains("form-action 'self' http://127.0.0.1:" + kubelogin.port());
    assertThat(page.body()).contains("<p class=\"tenant\">Default</p>").contains("kubectl &lt;via&gt; kubelogin")
        .contains("/assets/lanyard.css").doesNotContain("<script");
    String csrfCookie = page.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("lanyard_csrf="))
        .findFirst().orElseThrow();
    assertThat(csrfCookie).contains("Path=/t/default/").containsIgnoringCase("HttpOnly").contains("Secure")
        .contains("SameSite=Lax");
    assertThat(lanyard.get("/assets/lanyard.css").statusCode()).isEqualTo(200);

    HttpResponse<String> posted = browser.postForm("/t/default/login", Map.of("csrf", BrowserClient.csrf(page.body()),
        "return_to", BrowserClient.hidden(page.body(), "return_to"), "username", "alice",
        "password", ALICE_PASSWORD));
    assertThat(posted.statusCode()).isEqualTo(303);
    assertThat(location(posted)).isEqualTo(returnTo);
    String sessionCookie = posted.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.startsWith("lanyard_session=")).findFirst().orElseThrow();
    assertThat(sessionCookie).contains("Path=/t/default/").containsIgnoringCase("HttpOnly").contains("Secure")
        .contains("SameSite=Lax");

    Map<String, String> response = deliverToKubelogin(browser.get(returnTo));
    assertThat(response).containsEntry("state", state).containsEntry("iss", lanyard.issuer("default"))
        .containsKey("code");

    HttpResponse<String> tokens = redeem(response.get("code"), redirectUri(), pkce.verifier(), "kubectl");
    assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
    assertThat(tokens.headers().firstValue("Cache-Control")).contains("no-store");
    JsonObject body = new JsonObject(tokens.body());
    assertThat(body.getString("token_type")).isEqualTo("Bearer");
    JWTClaimsSet claims = KubeApiserverVerifier.verify(lanyard, lanyard.issuer("default"), "kubectl",
        body.getString("id_token"));
    assertThat(claims.getStringClaim("nonce")).isEqualTo(nonce);
    assertThat(claims.getStringClaim("preferred_username")).isEqualTo("alice");
    assertThat(claims.getStringClaim("email")).isEqualTo("alice@example.com");
    assertThat(claims.getBooleanClaim("email_verified")).isTrue();
    assertThat(claims.getStringListClaim("groups")).containsExactly("dev");
    assertThat(claims.getStringClaim("azp")).isEqualTo("kubectl");
    long authTime = claims.getLongClaim("auth_time");
    assertThat(authTime).isBetween(Instant.now().getEpochSecond() - 60, Instant.now().getEpochSecond());

    // kubelogin refreshes when the ID token expires: a new ID token and the refresh token's successor.
    assertThat(body.getString("refresh_token")).startsWith("lyrt_");
    HttpResponse<String> refreshed = lanyard.postForm("/t/default/token", Map.of("grant_type", "refresh_token",
        "refresh_token", body.getString("refresh_token"), "client_id", "kubectl"), null);
    assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
    JsonObject refreshedBody = new JsonObject(refreshed.body());
    KubeApiserverVerifier.verify(lanyard, lanyard.issuer("default"), "kubectl", refreshedBody.getString("id_token"));

    // Replay: the code is spent, and what its first use led to is revoked (RFC 6749 §4.1.2).
    HttpResponse<String> replay = redeem(response.get("code"), redirectUri(), pkce.verifier(), "kubectl");
    assertThat(replay.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(replay.body()).getString("error")).isEqualTo("invalid_grant");
    assertThat(audit("authorization-code.replay")).isNotEmpty();
    HttpResponse<String> afterReplay = lanyard.postForm("/t/default/token", Map.of("grant_type", "refresh_token",
        "refresh_token", refreshedBody.getString("refresh_token"), "client_id", "kubectl"), null);
    assertThat(afterReplay.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(afterReplay.body()).getString("error")).isEqualTo("invalid_grant");
    assertThat(audit("login").stream().filter(e -> "success".equals(e.outcome()))).isNotEmpty();

    // Single sign-on: a second authorization within the session skips the form, keeps auth_time.
    Pkce second = Pkce.create();
    String nonce2 = random();
    Map<String, String> again = deliverToKubelogin(browser.get(authorizePath("default",
        kubeloginRequest(second, "s2", nonce2))));
    assertThat(again).containsEntry("state", "s2");
    HttpResponse<String> tokens2 = redeem(again.get("code"), redirectUri(), second.verifier(), "kubectl");
    JWTClaimsSet claims2 = KubeApiserverVerifier.verify(lanyard, lanyard.issuer("default"), "kubectl",
        new JsonObject(tokens2.body()).getString("id_token"));
    assertThat(claims2.getStringClaim("nonce")).isEqualTo(nonce2);
    assertThat(claims2.getLongClaim("auth_time")).isEqualTo(authTime);
  }

  @Test
  @DisplayName("the session cookie is per tenant: signed in to 'default' is not signed in to 'other'")
  void sessionsArePerTenant() throws Exception {
    BrowserClient browser = signedInAlice();
    Map<String, String> q = kubeloginRequest(Pkce.create(), "x", "n");
    q.put("redirect_uri", "http://127.0.0.1:8000/callback");
    HttpResponse<String> res = browser.get(authorizePath("other", q));
    assertThat(res.statusCode()).isEqualTo(302);
    assertThat(location(res)).startsWith("/t/other/login?return_to=");
  }

  @Test
  @DisplayName("prompt=login shows the form even with a session; max_age too old does too; prompt=none without a session → login_required")
  void promptLoginMaxAgeAndNone() throws Exception {
    BrowserClient browser = signedInAlice();
    Map<String, String> q = kubeloginRequest(Pkce.create(), "st", "n");
    q.put("prompt", "login");
    HttpResponse<String> forced = browser.get(authorizePath("default", q));
    assertThat(forced.statusCode()).isEqualTo(302);
    String login = location(forced);
    assertThat(login).startsWith("/t/default/login?");
    String returnTo = URLDecoder.decode(login.substring(login.indexOf("return_to=") + 10), StandardCharsets.UTF_8);
    assertThat(returnTo).doesNotContain("prompt");
    // After signing in again the request goes through (and is not sent to the form once more).
    String oldSession = browser.cookie("lanyard_session").getValue();
    String back = signIn(browser, forced, "alice", ALICE_PASSWORD);
    assertThat(deliverToKubelogin(browser.get(back))).containsEntry("state", "st");
    // The new sign-in ended the old session: its cookie value signs nobody in any more.
    assertThat(browser.cookie("lanyard_session").getValue()).isNotEqualTo(oldSession);
    BrowserClient replayer = new BrowserClient(lanyard);
    HttpResponse<String> withOld = replayer.send(HttpRequest.newBuilder(URI.create(lanyard.baseUrl()
        + authorizePath("default", kubeloginRequest(Pkce.create(), "o", "n")))).header("Cookie",
        "lanyard_session=" + oldSession).GET());
    assertThat(location(withOld)).startsWith("/t/default/login?");

    Thread.sleep(1_100);
    Map<String, String> old = kubeloginRequest(Pkce.create(), "ma", "n");
    old.put("max_age", "0");
    assertThat(location(browser.get(authorizePath("default", old)))).startsWith("/t/default/login?");
    old.put("max_age", "3600");
    assertThat(location(browser.get(authorizePath("default", old)))).startsWith(redirectUri());

    BrowserClient stranger = new BrowserClient(lanyard);
    Map<String, String> none = kubeloginRequest(Pkce.create(), "quiet", "n");
    none.put("prompt", "none");
    HttpResponse<String> res = stranger.get(authorizePath("default", none));
    assertThat(res.statusCode()).isEqualTo(302);
    assertThat(queryOf(location(res))).containsEntry("error", "login_required").containsEntry("state", "quiet")
        .containsEntry("iss", lanyard.issuer("default"));
    assertThat(location(browser.get(authorizePath("default", none)))).contains("code=");
  }

  @Test
  @DisplayName("login_hint pre-fills the form")
  void loginHint() {
    BrowserClient browser = new BrowserClient(lanyard);
    Map<String, String> q = new LinkedHashMap<>(Map.of("client_id", "web", "redirect_uri",
        "https://app.example/cb?tenant=x", "response_type", "code", "scope", "openid", "login_hint", "al\"ice"));
    HttpResponse<String> res = browser.get(authorizePath("default", q));
    assertThat(location(res)).contains("login_hint=al%22ice");
    HttpResponse<String> page = browser.get(location(res));
    assertThat(page.body()).contains("value=\"al&quot;ice\"");
  }

  @Test
  @DisplayName("prompt=consent: a page names the client and scopes; approve gives a code, deny gives access_denied")
  void consent() throws Exception {
    BrowserClient browser = signedInAlice();
    Pkce pkce = Pkce.create();
    Map<String, String> q = kubeloginRequest(pkce, "c1", "n");
    q.put("prompt", "consent");
    HttpResponse<String> page = browser.get(authorizePath("default", q));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("kubectl &lt;via&gt; kubelogin").contains("The groups you belong to")
        .contains("Your email address");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("form-action 'self' http://127.0.0.1:" + kubelogin.port());
    Map<String, String> form = new HashMap<>(q);
    form.put("csrf", BrowserClient.csrf(page.body()));
    form.put("decision", "approve");
    HttpResponse<String> approved = browser.postForm("/t/default/consent", form);
    assertThat(approved.statusCode()).isEqualTo(303);
    assertThat(queryOf(location(approved))).containsEntry("state", "c1").containsKey("code");

    form.put("decision", "deny");
    HttpResponse<String> denied = browser.postForm("/t/default/consent", form);
    assertThat(queryOf(location(denied))).containsEntry("error", "access_denied").containsEntry("state", "c1");

    form.put("csrf", "1." + random());
    form.put("decision", "approve");
    HttpResponse<String> forged = browser.postForm("/t/default/consent", form);
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.headers().firstValue("Location")).isEmpty();
  }

  @Test
  @DisplayName("urn:ietf:wg:oauth:2.0:oob: the code is shown on a page to copy, and redeems with that redirect_uri")
  void outOfBand() throws Exception {
    BrowserClient browser = signedInAlice();
    Pkce pkce = Pkce.create();
    Map<String, String> q = kubeloginRequest(pkce, "oob", "n");
    q.put("redirect_uri", "urn:ietf:wg:oauth:2.0:oob");
    HttpResponse<String> page = browser.get(authorizePath("default", q));
    assertThat(page.statusCode()).isEqualTo(200);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("id=\"code\">([A-Za-z0-9_-]{43})<").matcher(page.body());
    assertThat(m.find()).as(page.body()).isTrue();
    assertThat(redeem(m.group(1), "urn:ietf:wg:oauth:2.0:oob", pkce.verifier(), "kubectl").statusCode()).isEqualTo(200);
    // An error in keyboard mode is shown, not redirected to the urn.
    q.put("response_type", "token");
    HttpResponse<String> error = browser.get(authorizePath("default", q));
    assertThat(error.statusCode()).isEqualTo(400);
    assertThat(error.headers().firstValue("Location")).isEmpty();
    assertThat(error.body()).contains("unsupported_response_type");
  }

  @Test
  @DisplayName("loopback redirects: any port for 127.0.0.1 and [::1] and registered localhost; never another path or host")
  void loopbackPorts() throws Exception {
    BrowserClient browser = signedInAlice();
    for (String uri : List.of("http://127.0.0.1:51234/callback", "http://[::1]:40000/callback",
        "http://localhost:18000", "http://localhost:39999/", "http://127.0.0.1:4444")) {
      Map<String, String> q = kubeloginRequest(Pkce.create(), "p", "n");
      q.put("redirect_uri", uri);
      HttpResponse<String> res = browser.get(authorizePath("default", q));
      assertThat(res.statusCode()).as(uri).isEqualTo(302);
      assertThat(location(res)).as(uri).startsWith(uri);
    }
    for (String uri : List.of("http://127.0.0.1:51234/other", "https://127.0.0.1:8000/callback",
        "http://127.0.0.2:8000/callback", "http://localhost.evil.example:8000", "http://127.0.0.1:8000/callback#x",
        "http://user@127.0.0.1:8000/callback")) {
      Map<String, String> q = kubeloginRequest(Pkce.create(), "p", "n");
      q.put("redirect_uri", uri);
      HttpResponse<String> res = browser.get(authorizePath("default", q));
      assertThat(res.statusCode()).as(uri).isEqualTo(400);
      assertThat(res.headers().firstValue("Location")).as(uri).isEmpty();
    }
  }

  // ---- bad input: pages, never redirects

  @Test
  @DisplayName("unknown or missing client_id, unregistered or missing redirect_uri, repeated or oversize parameters → an error page, no redirect")
  void untrustedRequestsGetAPage() throws Exception {
    BrowserClient browser = new BrowserClient(lanyard);
    Pkce pkce = Pkce.create();
    List<String> bad = List.of(
        authorizePath("default", Map.of("client_id", "nobody", "redirect_uri", redirectUri(), "response_type", "code")),
        authorizePath("default", Map.of("redirect_uri", redirectUri(), "response_type", "code")),
        authorizePath("default", Map.of("client_id", "kubectl", "redirect_uri", "https://evil.example/cb",
            "response_type", "code")),
        authorizePath("default", Map.of("client_id", "kubectl", "response_type", "code")),
        authorizePath("default", kubeloginRequest(pkce, "s", "n")) + "&client_id=kubectl",
        authorizePath("default", kubeloginRequest(pkce, "s", "n")) + "&redirect_uri=https%3A%2F%2Fevil.example",
        authorizePath("default", kubeloginRequest(pkce, "x".repeat(3000), "n")),
        authorizePath("default", Map.of("client_id", "web", "redirect_uri", "https://app.example/cb",
            "response_type", "code")));
    for (String path : bad) {
      HttpResponse<String> res = browser.get(path);
      assertThat(res.statusCode()).as(path).isEqualTo(400);
      assertThat(res.headers().firstValue("Location")).as(path).isEmpty();
      assertThat(res.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
      assertThat(res.body()).doesNotContain("Exception").contains("<h1>");
    }
    assertThat(browser.get("/t/nope/authorize?client_id=kubectl").statusCode()).isEqualTo(404);
    HttpResponse<String> json = browser.postForm("/t/default/authorize", Map.of());
    assertThat(json.statusCode()).isEqualTo(400);
  }

  @Test
  @DisplayName("after a valid redirect URI: response_type=token, missing response_type, plain or missing PKCE, unauthorized client, bad prompt or max_age → error at the redirect URI with state and iss")
  void errorsAfterTheRedirectLine() throws Exception {
    BrowserClient browser = new BrowserClient(lanyard);
    Pkce pkce = Pkce.create();
    Map<String, Map.Entry<String, String>> cases = new LinkedHashMap<>();
    cases.put("response_type=token", Map.entry("response_type", "token"));
    cases.put("response_type missing", Map.entry("response_type", ""));
    cases.put("plain", Map.entry("code_challenge_method", "plain"));
    cases.put("no method", Map.entry("code_challenge_method", ""));
    cases.put("no challenge", Map.entry("code_challenge", ""));
    cases.put("short challenge", Map.entry("code_challenge", "abc"));
    cases.put("prompt", Map.entry("prompt", "none login"));
    cases.put("prompt value", Map.entry("prompt", "select_nothing"));
    cases.put("max_age", Map.entry("max_age", "-1"));
    cases.put("response_mode", Map.entry("response_mode", "fragment"));
    cases.put("request", Map.entry("request", "eyJhbGciOiJub25lIn0.e30."));
    Map<String, String> expected = Map.ofEntries(Map.entry("response_type=token", "unsupported_response_type"),
        Map.entry("request", "request_not_supported"));
    for (var c : cases.entrySet()) {
      Map<String, String> q = kubeloginRequest(pkce, "st8", "n");
      if (c.getValue().getValue().isEmpty()) q.remove(c.getValue().getKey());
      else q.put(c.getValue().getKey(), c.getValue().getValue());
      HttpResponse<String> res = browser.get(authorizePath("default", q));
      assertThat(res.statusCode()).as(c.getKey()).isEqualTo(302);
      Map<String, String> back = queryOf(location(res));
      assertThat(location(res)).as(c.getKey()).startsWith(redirectUri() + "?");
      assertThat(back).as(c.getKey()).containsEntry("error", expected.getOrDefault(c.getKey(), "invalid_request"))
          .containsEntry("state", "st8").containsEntry("iss", lanyard.issuer("default")).containsKey("error_description")
          .doesNotContainKey("code");
    }
    Map<String, String> q = kubeloginRequest(pkce, "st9", "n");
    q.put("client_id", "pw-only");
    q.put("redirect_uri", "http://127.0.0.1:8000/callback");
    assertThat(queryOf(location(browser.get(authorizePath("default", q))))).containsEntry("error", "unauthorized_client");
    // The confidential client's registered query is kept, the error parameters added.
    HttpResponse<String> web = browser.get(authorizePath("default", Map.of("client_id", "web",
        "redirect_uri", "https://app.example/cb?tenant=x", "response_type", "id_token", "state", "w")));
    assertThat(location(web)).startsWith("https://app.example/cb?tenant=x&error=unsupported_response_type");
  }

  // ---- the token endpoint's authorization_code grant

  /** A fresh code for alice with {@code pkce}. */
  static String code(BrowserClient browser, Pkce pkce) throws Exception {
    HttpResponse<String> res = browser.get(authorizePath("default", kubeloginRequest(pkce, "t", "n")));
    return queryOf(location(res)).get("code");
  }

  @Test
  @DisplayName("wrong verifier, missing verifier, other redirect_uri, other client → invalid_grant, and the code is spent by the attempt")
  void codeBindings() throws Exception {
    BrowserClient browser = signedInAlice();
    Pkce pkce = Pkce.create();
    String wrongVerifier = Pkce.create().verifier();

    String c1 = code(browser, pkce);
    assertInvalidGrant(redeem(c1, redirectUri(), wrongVerifier, "kubectl"));
    assertInvalidGrant(redeem(c1, redirectUri(), pkce.verifier(), "kubectl"));

    String c2 = code(browser, pkce);
    assertInvalidGrant(redeem(c2, redirectUri(), null, "kubectl"));
    assertInvalidGrant(redeem(c2, redirectUri(), pkce.verifier(), "kubectl"));

    String c3 = code(browser, pkce);
    assertInvalidGrant(redeem(c3, "http://127.0.0.1:1/callback", pkce.verifier(), "kubectl"));
    assertInvalidGrant(redeem(c3, redirectUri(), pkce.verifier(), "kubectl"));

    String c4 = code(browser, pkce);
    HttpResponse<String> otherClient = lanyard.postForm("/t/default/token", Map.of("grant_type", "authorization_code",
        "code", c4, "redirect_uri", redirectUri(), "code_verifier", pkce.verifier()), "web:" + WEB_SECRET);
    assertInvalidGrant(otherClient);
    assertInvalidGrant(redeem(c4, redirectUri(), pkce.verifier(), "kubectl"));

    String c5 = code(browser, pkce);
    HttpResponse<String> otherTenant = lanyard.postForm("/t/other/token", Map.of("grant_type", "authorization_code",
        "code", c5, "redirect_uri", redirectUri(), "code_verifier", pkce.verifier(), "client_id", "kubectl"), null);
    assertInvalidGrant(otherTenant);
    assertThat(redeem(c5, redirectUri(), pkce.verifier(), "kubectl").statusCode()).isEqualTo(200);

    assertInvalidGrant(redeem("not-a-code", redirectUri(), pkce.verifier(), "kubectl"));
    HttpResponse<String> noCode = lanyard.postForm("/t/default/token", Map.of("grant_type", "authorization_code",
        "redirect_uri", redirectUri(), "client_id", "kubectl"), null);
    assertThat(new JsonObject(noCode.body()).getString("error")).isEqualTo("invalid_request");
    HttpResponse<String> noRedirect = lanyard.postForm("/t/default/token", Map.of("grant_type", "authorization_code",
        "code", code(browser, pkce), "client_id", "kubectl", "code_verifier", pkce.verifier()), null);
    assertThat(new JsonObject(noRedirect.body()).getString("error")).isEqualTo("invalid_request");
    HttpResponse<String> twice = lanyard.postRaw("/t/default/token", "application/x-www-form-urlencoded",
        "grant_type=authorization_code&code=a&code=b&client_id=kubectl&redirect_uri=x");
    assertThat(new JsonObject(twice.body()).getString("error")).isEqualTo("invalid_request");
  }

  @Test
  @DisplayName("an expired code → invalid_grant")
  void expiredCode() throws Exception {
    Pkce pkce = Pkce.create();
    String code = random() + random();
    String userId = lanyard.server().storage().transactionBlocking(s -> s.users().findByUsername("default", "alice"))
        .orElseThrow().id();
    Instant past = Instant.now().minusSeconds(120);
    lanyard.server().storage().transactionBlocking(s -> {
      s.authorizationCodes().create(new AuthorizationCode("default", CodeIssuer.hash(code), "kubectl", redirectUri(),
          userId, null, List.of("openid"), null, pkce.challenge(), "S256", past, past, past.plusSeconds(60), null));
      return null;
    });
    assertInvalidGrant(redeem(code, redirectUri(), pkce.verifier(), "kubectl"));
  }

  @Test
  @DisplayName("two concurrent redemptions of one code: exactly one gets tokens")
  void concurrentRedemption() throws Exception {
    BrowserClient browser = signedInAlice();
    for (int round = 0; round < 3; round++) {
      Pkce pkce = Pkce.create();
      String c = code(browser, pkce);
      List<CompletableFuture<Integer>> racers = java.util.stream.IntStream.range(0, 4)
          .mapToObj(i -> CompletableFuture.supplyAsync(() -> redeem(c, redirectUri(), pkce.verifier(), "kubectl")
              .statusCode())).toList();
      List<Integer> statuses = racers.stream().map(CompletableFuture::join).toList();
      assertThat(statuses.stream().filter(s -> s == 200).count()).as(statuses.toString()).isEqualTo(1);
      assertThat(statuses.stream().filter(s -> s == 400).count()).isEqualTo(3);
    }
  }

  static void assertInvalidGrant(HttpResponse<String> res) {
    assertThat(res.statusCode()).as(res.body()).isEqualTo(400);
    assertThat(new JsonObject(res.body()).getString("error")).isEqualTo("invalid_grant");
  }

  // ---- login page

  static HttpResponse<String> login(BrowserClient browser, String username, String password) {
    HttpResponse<String> page = browser.get("/t/default/login");
    return browser.postForm("/t/default/login", Map.of("csrf", BrowserClient.csrf(page.body()), "username", username,
        "password", password));
  }

  @Test
  @DisplayName("login page: wrong password, unknown user, disabled account, email as login, no return_to")
  void loginMessages() {
    BrowserClient browser = new BrowserClient(lanyard);
    HttpResponse<String> wrong = login(browser, "alice", "nope-nope-nope");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("Incorrect username or password.").contains("value=\"alice\"");
    HttpResponse<String> unknown = login(browser, "mallory", "whatever-1234");
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(unknown.body()).contains("Incorrect username or password.");
    HttpResponse<String> disabled = login(browser, "carol", "carol-password-123");
    assertThat(disabled.statusCode()).isEqualTo(403);
    assertThat(disabled.body()).contains("This account is disabled.");
    assertThat(browser.cookie("lanyard_session")).isNull();
    HttpResponse<String> byEmail = login(browser, "ALICE@example.com", ALICE_PASSWORD);
    assertThat(byEmail.statusCode()).isEqualTo(200);
    assertThat(byEmail.body()).contains("You are signed in as alice");
    assertThat(audit("login").stream().filter(e -> "failure".equals(e.outcome())).map(AuditEvent::details)
        .toList()).anySatisfy(d -> assertThat(d).contains("wrong_credentials").contains("mallory"))
        .anySatisfy(d -> assertThat(d).contains("disabled"))
        .allSatisfy(d -> assertThat(d).doesNotContain("nope-nope-nope"));
  }

  @Test
  @DisplayName("login form: forged or missing CSRF → 403 and the form again; stale (cookie gone) → 400 with a message; never a session")
  void loginCsrf() {
    BrowserClient browser = new BrowserClient(lanyard);
    HttpResponse<String> page = browser.get("/t/default/login");
    String token = BrowserClient.csrf(page.body());
    HttpResponse<String> forged = browser.postForm("/t/default/login", Map.of("csrf", token.substring(0, token.length() - 2)
        + "AA", "username", "alice", "password", ALICE_PASSWORD));
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body()).contains("could not be verified").contains("name=\"csrf\"");
    HttpResponse<String> missing = browser.postForm("/t/default/login", Map.of("username", "alice",
        "password", ALICE_PASSWORD));
    assertThat(missing.statusCode()).isEqualTo(403);
    browser.forgetCookies();
    HttpResponse<String> stale = browser.postForm("/t/default/login", Map.of("csrf", token, "username", "alice",
        "password", ALICE_PASSWORD));
    assertThat(stale.statusCode()).isEqualTo(400);
    assertThat(stale.body()).contains("The sign-in form had expired.");
    assertThat(browser.cookie("lanyard_session")).isNull();
    // The re-shown form works.
    HttpResponse<String> retry = browser.postForm("/t/default/login", Map.of("csrf", BrowserClient.csrf(stale.body()),
        "username", "alice", "password", ALICE_PASSWORD));
    assertThat(retry.statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("return_to must be a path on this tenant: other hosts, protocol-relative, other tenants → 400 page")
  void returnToIsChecked() {
    BrowserClient browser = new BrowserClient(lanyard);
    for (String to : List.of("https://evil.example/", "//evil.example/t/default/", "/t/other/authorize",
        "/t/default/../other/x", "/\\evil.example", "/t/default/x y", "javascript:alert(1)")) {
      HttpResponse<String> res = browser.get("/t/default/login?return_to=" + URLEncoder.encode(to, StandardCharsets.UTF_8));
      assertThat(res.statusCode()).as(to).isEqualTo(400);
    }
    HttpResponse<String> page = browser.get("/t/default/login");
    HttpResponse<String> posted = browser.postForm("/t/default/login", Map.of("csrf", BrowserClient.csrf(page.body()),
        "return_to", "https://evil.example/", "username", "alice", "password", ALICE_PASSWORD));
    assertThat(posted.statusCode()).isEqualTo(400);
    assertThat(posted.headers().firstValue("Location")).isEmpty();
    assertThat(browser.get("/t/default/login?return_to=a&return_to=b").statusCode()).isEqualTo(400);
    assertThat(browser.get("/t/nope/login").statusCode()).isEqualTo(404);
  }

  // ---- logout

  @Test
  @DisplayName("logout with id_token_hint and a registered post_logout_redirect_uri: session ended, redirected with state")
  void logoutWithHint() throws Exception {
    BrowserClient browser = signedInAlice();
    Pkce pkce = Pkce.create();
    String idToken = new JsonObject(redeem(code(browser, pkce), redirectUri(), pkce.verifier(), "kubectl").body())
        .getString("id_token");
    String post = "http://127.0.0.1:8000/callback";
    HttpResponse<String> out = browser.get("/t/default/logout?id_token_hint=" + idToken
        + "&post_logout_redirect_uri=" + URLEncoder.encode(post, StandardCharsets.UTF_8) + "&state=bye");
    assertThat(out.statusCode()).isEqualTo(302);
    assertThat(location(out)).isEqualTo(post + "?state=bye");
    assertThat(out.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith("lanyard_session=")
        .contains("Max-Age=0"));
    // The session is over: the next authorization asks for the password again.
    assertThat(location(browser.get(authorizePath("default", kubeloginRequest(Pkce.create(), "a", "n")))))
        .startsWith("/t/default/login?");
    assertThat(audit("logout")).isNotEmpty();
  }

  @Test
  @DisplayName("logout POSTed from the client's site (no Lax cookie sent): a page continues as a same-site GET, which ends the session")
  void crossSitePostLogout() throws Exception {
    BrowserClient browser = signedInAlice();
    Pkce pkce = Pkce.create();
    String idToken = new JsonObject(redeem(code(browser, pkce), redirectUri(), pkce.verifier(), "kubectl").body())
        .getString("id_token");
    String post = "http://127.0.0.1:8000/callback";
    Map<String, String> form = Map.of("id_token_hint", idToken, "post_logout_redirect_uri", post, "state", "x y");
    // What the browser sends on a cross-site form POST: no SameSite=Lax cookie.
    HttpResponse<String> page = new BrowserClient(lanyard).postForm("/t/default/logout", form);
    assertThat(page.statusCode()).isEqualTo(200);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("href=\"(/t/default/logout\\?[^\"]+)\"")
        .matcher(page.body());
    assertThat(m.find()).as(page.body()).isTrue();
    HttpResponse<String> out = browser.get(m.group(1).replace("&amp;", "&"));
    assertThat(out.statusCode()).isEqualTo(302);
    assertThat(location(out)).isEqualTo(post + "?state=x+y");
    assertThat(location(browser.get(authorizePath("default", kubeloginRequest(Pkce.create(), "a", "n")))))
        .startsWith("/t/default/login?");
  }

  @Test
  @DisplayName("logout: unregistered redirect or a forged hint → error page; no hint → confirmation page, then signed out")
  void logoutChecks() throws Exception {
    BrowserClient browser = signedInAlice();
    HttpResponse<String> unregistered = browser.get("/t/default/logout?client_id=kubectl&post_logout_redirect_uri="
        + URLEncoder.encode("https://evil.example/", StandardCharsets.UTF_8));
    assertThat(unregistered.statusCode()).isEqualTo(400);
    assertThat(unregistered.headers().firstValue("Location")).isEmpty();
    HttpResponse<String> noClient = browser.get("/t/default/logout?post_logout_redirect_uri="
        + URLEncoder.encode("http://127.0.0.1:8000/callback", StandardCharsets.UTF_8));
    assertThat(noClient.statusCode()).isEqualTo(400);
    HttpResponse<String> forged = browser.get("/t/default/logout?id_token_hint=eyJhbGciOiJSUzI1NiJ9.e30.AAAA");
    assertThat(forged.statusCode()).isEqualTo(400);

    HttpResponse<String> confirm = browser.get("/t/default/logout");
    assertThat(confirm.statusCode()).isEqualTo(200);
    assertThat(confirm.body()).contains("Do you want to sign out").contains("alice");
    // Still signed in until confirmed.
    assertThat(location(browser.get(authorizePath("default", kubeloginRequest(Pkce.create(), "a", "n")))))
        .startsWith(redirectUri());
    HttpResponse<String> done = browser.postForm("/t/default/logout", Map.of("csrf", BrowserClient.csrf(confirm.body()),
        "decision", "yes"));
    assertThat(done.statusCode()).isEqualTo(200);
    assertThat(done.body()).contains("You are signed out.");
    assertThat(location(browser.get(authorizePath("default", kubeloginRequest(Pkce.create(), "a", "n")))))
        .startsWith("/t/default/login?");
  }
}
