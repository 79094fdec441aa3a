package dev.lanyard.idp.login;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.lanyard.idp.testing.KubeApiserverVerifier;
import dev.lanyard.idp.testing.LoopbackReceiver;
import dev.lanyard.idp.testing.TestLanyard;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The login pages in a real headless Chromium (Debian's {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver},
 * named explicitly so Selenium downloads nothing). Chromium trusts Lanyard's generated test CA only: certificate
 * errors are ignored just for that CA's public key ({@code --ignore-certificate-errors-spki-list}). Each page is
 * saved as a screenshot under {@code idp/target/screenshots/}.
 */
class LoginBrowserTest {
  static final String CHROMIUM = "/usr/bin/chromium";
  static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  static final Path SCREENSHOTS = Path.of("target", "screenshots");
  static final SecureRandom RANDOM = new SecureRandom();

  @TempDir
  static Path dir;

  static TestLanyard lanyard;
  static LoopbackReceiver kubelogin;
  static ChromeDriverService service;
  static WebDriver browser;

  @BeforeAll
  static void start() throws Exception {
    Path data = TestLanyard.seeded(dir, """
        tenants:
          - id: default
            displayName: Example Platform Team
            users:
              - {username: alice, email: alice@example.com, emailVerified: true, password: alice-password-123,
                 groups: [dev, ops]}
            clients:
              - {id: kubectl, displayName: kubectl (kubelogin), public: true,
                 redirectUris: ["http://127.0.0.1:8000/callback", "urn:ietf:wg:oauth:2.0:oob"],
                 grants: [authorization_code]}
        """);
    lanyard = TestLanyard.start(data);
    kubelogin = new LoopbackReceiver("/callback");
    Files.createDirectories(SCREENSHOTS);

    service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort()
        .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=900,760", "--user-data-dir=" + dir.resolve("chromium-profile"),
        "--ignore-certificate-errors-spki-list=" + spkiHash(lanyard.server().caFile()));
    browser = new ChromeDriver(service, options);
    browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
  }

  @AfterAll
  static void stop() {
    try {
      if (browser != null) browser.quit();
    } finally {
      if (service != null) service.stop();
      if (kubelogin != null) kubelogin.close();
      if (lanyard != null) lanyard.close();
    }
  }

  /** Base64 SHA-256 of the CA certificate's SubjectPublicKeyInfo, the form Chromium's SPKI list takes. */
  static String spkiHash(Path caPem) throws Exception {
    try (InputStream in = Files.newInputStream(caPem)) {
      X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
          .digest(ca.getPublicKey().getEncoded()));
    }
  }

  static void screenshot(String name) throws Exception {
    Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  record Pkce(String verifier, String challenge) {
    static Pkce create() throws Exception {
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

  static String authorizeUrl(Pkce pkce, String state, String nonce, Map<String, String> extra) {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("client_id", "kubectl");
    q.put("response_type", "code");
    q.put("redirect_uri", redirectUri());
    q.put("scope", "openid profile email groups");
    q.put("state", state);
    q.put("nonce", nonce);
    q.put("code_challenge", pkce.challenge());
    q.put("code_challenge_method", "S256");
    q.put("access_type", "offline");
    q.putAll(extra);
    return lanyard.baseUrl() + "/t/default/authorize?" + q.entrySet().stream()
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  static void signIn(String username, String password) {
    browser.findElement(By.id("username")).clear();
    browser.findElement(By.id("username")).sendKeys(username);
    browser.findElement(By.id("password")).sendKeys(password);
    browser.findElement(By.id("submit")).click();
  }

  static void awaitUrl(String prefix) {
    new WebDriverWait(browser, Duration.ofSeconds(15)).until(d -> d.getCurrentUrl().startsWith(prefix));
  }

  /** Waits for the page a click led to: a form submission returns before the next page has loaded. */
  static org.openqa.selenium.WebElement awaitElement(By by) {
    return new WebDriverWait(browser, Duration.ofSeconds(15)).until(
        org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated(by));
  }

  static HttpResponse<String> redeem(String code, String redirectUri, Pkce pkce) {
    return lanyard.postForm("/t/default/token", Map.of("grant_type", "authorization_code", "code", code,
        "redirect_uri", redirectUri, "code_verifier", pkce.verifier(), "client_id", "kubectl"), null);
  }

  @Test
  @DisplayName("Chromium: wrong password message, sign in, code at the loopback listener, SSO on the second authorization, prompt=login, consent, oob, logout")
  void theWholeBrowserJourney() throws Exception {
    // 1. kubelogin opens the authorization URL: the login page, with the tenant's name and the client's.
    Pkce pkce = Pkce.create();
    browser.get(authorizeUrl(pkce, "st-1", "nonce-1", Map.of()));
    awaitUrl(lanyard.baseUrl() + "/t/default/login");
    assertThat(browser.getTitle()).isEqualTo("Sign in · Example Platform Team");
    assertThat(browser.findElement(By.tagName("body")).getText()).containsIgnoringCase("Example Platform Team")
        .contains("to continue to kubectl (kubelogin)");
    screenshot("01-login");

    // 2. A wrong password: the form again, with a clear message.
    signIn("alice", "not-her-password");
    assertThat(awaitElement(By.id("message")).getText()).isEqualTo("Incorrect username or password.");
    assertThat(browser.findElement(By.id("username")).getAttribute("value")).isEqualTo("alice");
    screenshot("02-wrong-password");

    // 3. The right one: through /authorize to the loopback listener (form-action allows the redirect chain).
    signIn("alice", "alice-password-123");
    awaitUrl(redirectUri());
    assertThat(browser.findElement(By.id("done")).getText()).contains("You may close this window.");
    screenshot("03-back-at-kubelogin");
    Map<String, String> response = kubelogin.next();
    assertThat(response).containsEntry("state", "st-1").containsEntry("iss", lanyard.issuer("default"));
    HttpResponse<String> tokens = redeem(response.get("code"), redirectUri(), pkce);
    assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
    JWTClaimsSet claims = KubeApiserverVerifier.verify(lanyard, lanyard.issuer("default"), "kubectl",
        new JsonObject(tokens.body()).getString("id_token"));
    assertThat(claims.getStringClaim("nonce")).isEqualTo("nonce-1");
    assertThat(claims.getStringListClaim("groups")).containsExactly("dev", "ops");

    // 4. Single sign-on: the second authorization goes straight back, no form.
    Pkce second = Pkce.create();
    browser.get(authorizeUrl(second, "st-2", "nonce-2", Map.of()));
    awaitUrl(redirectUri());
    Map<String, String> sso = kubelogin.next();
    assertThat(sso).containsEntry("state", "st-2");
    assertThat(redeem(sso.get("code"), redirectUri(), second).statusCode()).isEqualTo(200);

    // 5. prompt=login forces the form although the session is live.
    Pkce third = Pkce.create();
    browser.get(authorizeUrl(third, "st-3", "nonce-3", Map.of("prompt", "login", "login_hint", "alice")));
    awaitUrl(lanyard.baseUrl() + "/t/default/login");
    assertThat(browser.findElement(By.id("username")).getAttribute("value")).isEqualTo("alice");
    screenshot("04-prompt-login");
    browser.findElement(By.id("password")).sendKeys("alice-password-123");
    browser.findElement(By.id("submit")).click();
    awaitUrl(redirectUri());
    assertThat(kubelogin.next()).containsEntry("state", "st-3");

    // 6. prompt=consent: the client and what it gets, then Allow.
    Pkce fourth = Pkce.create();
    browser.get(authorizeUrl(fourth, "st-4", "nonce-4", Map.of("prompt", "consent")));
    assertThat(browser.findElement(By.id("client")).getText()).isEqualTo("kubectl (kubelogin)");
    assertThat(browser.findElement(By.tagName("body")).getText()).contains("The groups you belong to");
    screenshot("05-consent");
    browser.findElement(By.id("approve")).click();
    awaitUrl(redirectUri());
    assertThat(kubelogin.next()).containsEntry("state", "st-4").containsKey("code");

    // 7. Keyboard mode (urn:ietf:wg:oauth:2.0:oob): the code on a page to copy.
    Pkce fifth = Pkce.create();
    browser.get(authorizeUrl(fifth, "st-5", "nonce-5", Map.of("redirect_uri", "urn:ietf:wg:oauth:2.0:oob")));
    String shown = browser.findElement(By.id("code")).getText();
    screenshot("06-oob-code");
    assertThat(redeem(shown, "urn:ietf:wg:oauth:2.0:oob", fifth).statusCode()).isEqualTo(200);

    // 8. Logout without a hint asks first; then the session is over and the form is back.
    browser.get(lanyard.baseUrl() + "/t/default/logout");
    screenshot("07-logout-confirm");
    browser.findElement(By.id("signout")).click();
    assertThat(awaitElement(By.id("message")).getText()).contains("You are signed out.");
    screenshot("08-signed-out");
    browser.get(authorizeUrl(Pkce.create(), "st-6", "nonce-6", Map.of()));
    awaitUrl(lanyard.baseUrl() + "/t/default/login");

    // 9. An unregistered redirect URI: an error page, the browser stays here.
    browser.get(authorizeUrl(Pkce.create(), "st-7", "n", Map.of("redirect_uri", "https://evil.example/cb")));
    assertThat(browser.getCurrentUrl()).startsWith(lanyard.baseUrl());
    assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Invalid redirect address");
    screenshot("09-error-unregistered-redirect");
  }
}
