package dev.lanyard.idp.device;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.lanyard.idp.testing.HeadlessChromium;
import dev.lanyard.idp.testing.KubeApiserverVerifier;
import dev.lanyard.idp.testing.MutableClock;
import dev.lanyard.idp.testing.TestLanyard;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The device verification page in a real headless Chromium, as a person next to a headless box uses it: open
 * {@code verification_uri_complete}, sign in, check the code, allow, and the polling device gets an ID token the
 * kube-apiserver accepts (verified with Nimbus). Screenshots: {@code idp/target/screenshots/device-*.png}.
 */
class DeviceVerificationBrowserTest {
  @TempDir
  static Path dir;

  static final MutableClock clock = new MutableClock();
  static TestLanyard lanyard;
  static HeadlessChromium chromium;
  static WebDriver browser;

  @BeforeAll
  static void start() throws Exception {
    Path data = TestLanyard.seeded(dir, """
        tenants:
          - id: default
            displayName: Example Platform Team
            users:
              - {username: alice, email: alice@example.com, emailVerified: true, name: Alice Liddell,
                 password: alice-password-123, groups: [dev, ops]}
            clients:
              - {id: jumphost, displayName: kubectl on the jump host, public: true,
                 grants: [urn:ietf:params:oauth:grant-type:device_code]}
        """);
    lanyard = TestLanyard.start(data, Map.of(), clock);
    chromium = new HeadlessChromium(lanyard, dir.resolve("chromium-profile"));
    browser = chromium.browser();
  }

  @AfterAll
  static void stop() {
    try {
      if (chromium != null) chromium.close();
    } finally {
      if (lanyard != null) lanyard.close();
    }
  }

  static JsonObject deviceCode() {
    HttpResponse<String> res = lanyard.postForm("/t/default/device/code", Map.of("client_id", "jumphost",
        "scope", "openid profile email groups"), null);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return new JsonObject(res.body());
  }

  static HttpResponse<String> poll(JsonObject started) {
    return lanyard.postForm("/t/default/token", Map.of("grant_type", DeviceCodeGrant.GRANT_TYPE,
        "client_id", "jumphost", "device_code", started.getString("device_code")), null);
  }

  static String error(HttpResponse<String> res) {
    return new JsonObject(res.body()).getString("error");
  }

  /** The text of element {@code id}, waiting for the page that has it; fails showing the page when none comes. */
  static String text(String id) {
    try {
      return new WebDriverWait(browser, Duration.ofSeconds(10))
          .until(ExpectedConditions.presenceOfElementLocated(By.id(id))).getText();
    } catch (TimeoutException e) {
      throw new AssertionError("no #" + id + " on " + browser.getCurrentUrl() + ":\n"
          + browser.findElement(By.tagName("body")).getText());
    }
  }

  /** Waits for the page titled {@code title} (after a click that submits a form). */
  static void awaitTitle(String title) {
    new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.titleIs(title));
  }

  static void typeCode(String code) {
    browser.findElement(By.id("user_code")).clear();
    browser.findElement(By.id("user_code")).sendKeys(code);
    browser.findElement(By.id("submit")).click();
  }

  @Test
  @DisplayName("Chromium: verification_uri_complete, sign in, the code prefilled, client and scopes shown, Allow;"
      + " the device gets an ID token; then a wrong code, a code typed by hand and Deny, and an expired code")
  void theDeviceJourney() throws Exception {
    // 1. kubelogin on the jump host shows the code and the link; the person opens the link and must sign in.
    JsonObject first = deviceCode();
    assertThat(error(poll(first))).isEqualTo("authorization_pending");
    browser.get(first.getString("verification_uri_complete"));
    chromium.awaitUrl(lanyard.baseUrl() + "/t/default/login");
    assertThat(browser.getTitle()).isEqualTo("Sign in · Example Platform Team");
    chromium.screenshot("device-01-login");
    browser.findElement(By.id("username")).sendKeys("alice");
    browser.findElement(By.id("password")).sendKeys("alice-password-123");
    browser.findElement(By.id("submit")).click();

    // 2. Back on the device page, the code already in the field.
    chromium.awaitUrl(lanyard.issuer("default") + "/device?user_code=");
    assertThat(browser.getTitle()).isEqualTo("Connect a device · Example Platform Team");
    assertThat(browser.findElement(By.id("user_code")).getAttribute("value")).isEqualTo(first.getString("user_code"));
    assertThat(text("username")).isEqualTo("alice");
    chromium.screenshot("device-02-code-prefilled");
    browser.findElement(By.id("submit")).click();

    // 3. Which client asks, for what, and the code to compare with the device's.
    awaitTitle("Allow this device? · Example Platform Team");
    assertThat(text("client")).isEqualTo("kubectl on the jump host");
    assertThat(text("code")).isEqualTo(first.getString("user_code"));
    assertThat(text("scopes")).contains("The groups you belong to", "Your email address");
    chromium.screenshot("device-03-confirm");
    assertThat(error(poll(first))).isIn("authorization_pending", "slow_down");
    browser.findElement(By.id("approve")).click();

    // 4. Done: back to the device, which now gets its tokens once.
    awaitTitle("Device allowed · Example Platform Team");
    assertThat(text("message")).contains("You may return to your device");
    chromium.screenshot("device-04-allowed");
    clock.advance(Duration.ofSeconds(15));
    HttpResponse<String> tokens = poll(first);
    assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
    JWTClaimsSet claims = KubeApiserverVerifier.verify(lanyard, lanyard.issuer("default"), "jumphost",
        new JsonObject(tokens.body()).getString("id_token"));
    assertThat(claims.getStringClaim("preferred_username")).isEqualTo("alice");
    assertThat(claims.getStringListClaim("groups")).containsExactlyInAnyOrder("dev", "ops");
    assertThat(claims.getStringClaim("email")).isEqualTo("alice@example.com");
    assertThat(claims.getLongClaim("auth_time")).isBetween(Instant.now().minusSeconds(120).getEpochSecond(),
        clock.instant().getEpochSecond());
    assertThat(error(poll(first))).isEqualTo("invalid_grant");

    // 5. Signed in already: the plain verification_uri asks for the code. A wrong one is refused clearly.
    JsonObject second = deviceCode();
    browser.get(second.getString("verification_uri"));
    assertThat(browser.findElement(By.id("user_code")).getAttribute("value")).isEmpty();
    typeCode("BBBB-BBBB");
    awaitTitle("Connect a device · Example Platform Team");
    assertThat(text("message")).isEqualTo("That code is not valid. Check the code your device shows and try again.");
    chromium.screenshot("device-05-wrong-code");

    // 6. Typed by hand in lower case with a space instead of the dash: still matches. Deny.
    typeCode(second.getString("user_code").toLowerCase().replace('-', ' '));
    awaitTitle("Allow this device? · Example Platform Team");
    assertThat(text("code")).isEqualTo(second.getString("user_code"));
    browser.findElement(By.id("deny")).click();
    awaitTitle("Access denied · Example Platform Team");
    chromium.screenshot("device-06-denied");
    clock.advance(Duration.ofSeconds(15));
    assertThat(error(poll(second))).isEqualTo("access_denied");

    // 7. A code typed after it expired.
    JsonObject third = deviceCode();
    clock.advance(Duration.ofMinutes(11));
    browser.get(third.getString("verification_uri_complete"));
    browser.findElement(By.id("submit")).click();
    assertThat(text("message")).isEqualTo("That code has expired. Start again on your device to get a new one.");
    chromium.screenshot("device-07-expired");
    assertThat(error(poll(third))).isEqualTo("expired_token");
  }
}
