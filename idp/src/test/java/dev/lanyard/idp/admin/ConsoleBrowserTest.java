package dev.lanyard.idp.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.testing.TestLanyard;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real headless Chromium (Debian's {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver};
 * nothing is downloaded) against a running Lanyard over HTTPS. Screenshots of every page, at 1280x800 and at a
 * narrow width, go to {@code target/screenshots/console/}.
 */
class ConsoleBrowserTest {
  static final String CHROMIUM = "/usr/bin/chromium";
  static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  static final Path SCREENSHOTS = Path.of("target", "screenshots", "console");

  @TempDir
  static Path dir;
  static Path DOWNLOADS;
  static TestLanyard lanyard;
  static ChromeDriverService service;
  static WebDriver browser;

  @BeforeAll
  static void start() throws Exception {
    lanyard = TestLanyard.start(dir.resolve("data"));
    DOWNLOADS = dir.resolve("downloads");
    Files.createDirectories(SCREENSHOTS);
    service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1280,800", "--user-data-dir=" + dir.resolve("chromium-profile"),
        "--ignore-certificate-errors-spki-list=" + spkiHash(lanyard.server().caFile()));
    Files.createDirectories(DOWNLOADS);
    options.setExperimentalOption("prefs", java.util.Map.of("download.default_directory", DOWNLOADS.toString(),
        "download.prompt_for_download", false));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    browser = new ChromeDriver(service, options);
    browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
  }

  @AfterAll
  static void stop() {
    try {
      if (browser != null) browser.quit();
    } finally {
      if (service != null) service.stop();
      if (lanyard != null) lanyard.close();
    }
  }

  static String spkiHash(Path caPem) throws Exception {
    try (InputStream in = Files.newInputStream(caPem)) {
      X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(ca.getPublicKey().getEncoded()));
    }
  }

  // ---- helpers -------------------------------------------------------------------------------------------

  static <T> T waitUntil(java.util.function.Function<WebDriver, T> condition) {
    return new WebDriverWait(browser, Duration.ofSeconds(15)).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(condition);
  }

  static void open(String hash) {
    browser.get(lanyard.baseUrl() + "/admin/" + hash);
  }

  /** The console with no session in this tab, whatever an earlier test left behind. */
  static void openSignedOut() {
    open("");
    ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
    browser.navigate().refresh();
    form("Sign in");
    browser.manage().logs().get(LogType.BROWSER); // this test's console errors only
  }

  static void go(String hash) {
    ((JavascriptExecutor) browser).executeScript("window.location.hash = arguments[0]", hash);
  }

  static WebElement heading(String text) {
    return waitUntil(d -> d.findElements(By.cssSelector("main h1")).stream()
        .filter(e -> e.getText().contains(text)).findFirst().orElse(null));
  }

  static WebElement form(String label) {
    return waitUntil(d -> d.findElements(By.cssSelector("form[aria-label='" + label + "']")).stream().findFirst().orElse(null));
  }

  /** The input labelled {@code label} (the label's text starts with it) inside {@code scope}. */
  static WebElement input(WebElement scope, String label) {
    WebElement l = scope.findElement(By.xpath(".//label[starts-with(normalize-space(.), \"" + label + "\")]"));
    String id = l.getAttribute("for");
    return browser.findElement(By.id(id));
  }

  static void type(WebElement scope, String label, String text) {
    WebElement in = input(scope, label);
    in.clear();
    in.sendKeys(text);
  }

  static void select(WebElement scope, String label, String value) {
    new org.openqa.selenium.support.ui.Select(input(scope, label)).selectByValue(value);
  }

  static void check(WebElement scope, String label) {
    WebElement box = input(scope, label);
    if (!box.isSelected()) box.click();
  }

  static void submit(WebElement form) {
    form.findElement(By.cssSelector("button[type=submit]")).click();
  }

  /** The error shown next to the field labelled {@code label}, once there is one. */
  static String fieldError(WebElement scope, String label) {
    WebElement in = input(scope, label);
    return waitUntil(d -> {
      WebElement field = in.findElement(By.xpath("./ancestor::*[contains(concat(' ', @class, ' '), ' field ')][1]"));
      String text = field.findElement(By.cssSelector(".error")).getText();
      return text.isBlank() ? null : text;
    });
  }

  static String formError(WebElement form) {
    return waitUntil(d -> {
      WebElement e = form.findElement(By.cssSelector(".form-error"));
      return e.isDisplayed() && !e.getText().isBlank() ? e.getText() : null;
    });
  }

  static WebElement button(WebElement scope, String text) {
    return waitUntil(d -> scope.findElements(By.xpath(".//button[normalize-space(.)=\"" + text + "\"]")).stream()
        .filter(WebElement::isDisplayed).findFirst().orElse(null));
  }

  static WebElement dialog() {
    return waitUntil(d -> d.findElements(By.cssSelector("dialog[open]")).stream().findFirst().orElse(null));
  }

  static WebElement main() {
    return browser.findElement(By.cssSelector("main"));
  }

  static String notice() {
    return waitUntil(d -> d.findElements(By.cssSelector("main .notice")).stream().map(WebElement::getText)
        .filter(t -> !t.isBlank()).findFirst().orElse(null));
  }

  /** Screenshots at 1280x800 and 390x844 (a phone), then back to 1280x800; fails on any console error. */
  static void shoot(String name) throws Exception {
    Thread.sleep(300); // let the last fetch paint
    for (Dimension size : List.of(new Dimension(1280, 800), new Dimension(390, 844))) {
      browser.manage().window().setSize(size);
      Thread.sleep(150);
      Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
      // Usable at this width: nothing makes the whole page scroll sideways (wide tables scroll in their own box).
      Long overflow = (Long) ((JavascriptExecutor) browser).executeScript(
          "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
      if (overflow > 0) {
        Object wide = ((JavascriptExecutor) browser).executeScript(
            "const w = document.documentElement.clientWidth; return [...document.querySelectorAll('body *')]"
                + ".filter(e => e.getBoundingClientRect().right > w + 0.5 && e.parentElement.getBoundingClientRect().right <= w + 0.5).slice(0, 5)"
                + ".map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ')"
                + " + ' | ' + document.documentElement.scrollWidth + '/' + w + ' body ' + document.body.scrollWidth");
        assertThat(overflow).as(name + " at width " + size.getWidth() + " scrolls sideways: " + wide).isLessThanOrEqualTo(0L);
      }
      Files.copy(shot, SCREENSHOTS.resolve(name + "-" + size.getWidth() + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
    browser.manage().window().setSize(new Dimension(1280, 800));
    assertNoConsoleErrors();
  }

  /** CSP violations and script errors show up in the browser log. */
  static void assertNoConsoleErrors() {
    List<String> severe = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        // The API's own 4xx answers the tests provoke are logged by Chromium as failed resource loads.
        .filter(m -> !m.contains("/admin/api/v1/") || !m.matches(".*status of 4\\d\\d.*"))
        .toList();
    assertThat(severe).as("browser console errors").isEmpty();
  }

  /** The text of a file the browser downloaded, once it is complete. */
  static String downloaded(String name) {
    Path file = DOWNLOADS.resolve(name);
    return waitUntil(d -> {
      try {
        // Chromium creates the file before it writes it: an empty file is not there yet.
        return Files.exists(file) && Files.size(file) > 0 ? Files.readString(file) : null;
      } catch (java.io.IOException e) {
        return null;
      }
    });
  }

  static HttpResponse<String> tokenReview(String tenant, String credential, String token) {
    String body = new JsonObject().put("apiVersion", "authentication.k8s.io/v1").put("kind", "TokenReview")
        .put("spec", new JsonObject().put("token", token).put("audiences", new JsonArray().add("https://kubernetes.default.svc")))
        .encode();
    return lanyard.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(lanyard.baseUrl() + "/t/" + tenant
            + "/tokenreview?timeout=30s")).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + credential).POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)));
  }

  static void signIn(String tenant, String username, String password) {
    WebElement f = form("Sign in");
    type(f, "Tenant", tenant);
    type(f, "Username", username);
    type(f, "Password", password);
    submit(f);
  }

  static void signOut() {
    button(browser.findElement(By.cssSelector("header")), "Sign out").click();
    form("Sign in");
  }

  // ---- the story -----------------------------------------------------------------------------------------

  @Test
  @DisplayName("an operator signs in, sets up a tenant, mints a robot token the webhook accepts, revokes it in the console, and the webhook refuses it")
  void operatorStory() throws Exception {
    openSignedOut();
    WebElement signIn = form("Sign in");
    assertThat(input(signIn, "Tenant").getAttribute("value")).isEqualTo("default");
    shoot("01-sign-in");
    signIn("default", "admin", "wrong-password-123");
    assertThat(formError(form("Sign in"))).contains("Wrong tenant, username or password");
    assertThat(input(form("Sign in"), "Username").getAttribute("value")).isEqualTo("admin");
    // By keyboard alone: Tab from field to field, Enter submits.
    WebElement tenantField = input(form("Sign in"), "Tenant");
    tenantField.clear();
    tenantField.sendKeys("default", org.openqa.selenium.Keys.TAB, "admin", org.openqa.selenium.Keys.TAB,
        TestLanyard.ADMIN_PASSWORD, org.openqa.selenium.Keys.ENTER);
    heading("Overview");
    waitUntil(d -> d.findElements(By.cssSelector("svg.chart")).size() == 4);
    assertThat(browser.switchTo().activeElement().getTagName()).isEqualTo("h1"); // focus moved to the new page
    assertThat(browser.findElement(By.cssSelector("a.skip")).getAttribute("href")).endsWith("#main");
    assertThat(main().getText()).contains("Health", "Recent audit events", "default");
    // The token lives in this tab's sessionStorage only.
    JavascriptExecutor js = (JavascriptExecutor) browser;
    assertThat((Long) js.executeScript("return window.localStorage.length")).isZero();
    assertThat((String) js.executeScript("return sessionStorage.getItem('lanyard.console.session')")).contains("lya_");
    shoot("02-overview");

    // Tenants: create; a duplicate id and a too-long display name are refused next to their fields.
    go("#/tenants");
    heading("Tenants");
    WebElement newTenant = form("New tenant");
    type(newTenant, "ID", "acme");
    type(newTenant, "Display name", "Acme Platform");
    type(newTenant, "Maximum token TTL", "30d");
    type(newTenant, "Default token TTL", "7d");
    type(newTenant, "Access token lifetime", "5m");
    type(newTenant, "Refresh absolute lifetime", "30d");
    shoot("03-tenants");
    submit(newTenant);
    heading("Tenant acme");
    assertThat(notice()).contains("created");
    WebElement editTenant = form("Edit tenant");
    assertThat(input(editTenant, "Access token lifetime").getAttribute("value")).isEqualTo("5m");
    assertThat(input(editTenant, "Refresh absolute lifetime").getAttribute("value")).isEqualTo("30d");
    assertThat(input(editTenant, "Refresh idle lifetime").getAttribute("value")).isEmpty();
    shoot("04-tenant-detail");
    go("#/tenants");
    heading("Tenants");
    newTenant = form("New tenant");
    type(newTenant, "ID", "acme");
    type(newTenant, "Display name", "x".repeat(300));
    type(newTenant, "Refresh idle lifetime", "400d");
    submit(newTenant);
    assertThat(fieldError(newTenant, "Display name")).containsIgnoringCase("at most 256 characters");
    assertThat(fieldError(newTenant, "Refresh idle lifetime")).containsIgnoringCase("at most 365d");
    type(newTenant, "Refresh idle lifetime", "60d");
    type(newTenant, "Display name", "Acme again");
    submit(newTenant);
    assertThat(fieldError(newTenant, "ID")).isEqualTo("Tenant acme already exists.");
    assertThat(input(newTenant, "Display name").getAttribute("value")).isEqualTo("Acme again");
    shoot("05-tenant-errors");

    // Groups and users.
    go("#/t/acme/groups");
    heading("Groups");
    WebElement newGroup = form("New group");
    type(newGroup, "Name", "dev");
    submit(newGroup);
    heading("Group dev");
    shoot("06-group");
    go("#/t/acme/users");
    heading("Users");
    WebElement newUser = form("New user");
    type(newUser, "Username", "alice liddell");
    type(newUser, "Email", "alice@example.com");
    submit(newUser);
    assertThat(fieldError(newUser, "Username")).containsIgnoringCase("letters, digits");
    assertThat(input(newUser, "Email").getAttribute("value")).isEqualTo("alice@example.com");
    type(newUser, "Username", "alice");
    type(newUser, "Email", "alice@example.com");
    type(newUser, "Display name", "Alice Liddell");
    type(newUser, "Password", "alice-password-123");
    check(newUser, "dev");
    submit(newUser);
    heading("alice");
    waitUntil(d -> input(form("Group membership"), "dev").isSelected() ? Boolean.TRUE : null);
    WebElement passwordForm = form("Set password");
    button(passwordForm, "Generate").click();
    String generated = input(passwordForm, "New password").getAttribute("value");
    assertThat(generated).hasSize(24);
    submit(passwordForm);
    assertThat(notice()).contains("Password set");
    AdminClient.problem(new AdminClient(lanyard, null).call("POST", "/login", new JsonObject().put("tenant", "acme")
        .put("username", "alice").put("password", generated)), 403); // right password, but not an administrator
    shoot("07-user");
    go("#/t/acme/users");
    heading("Users");
    WebElement search = waitUntil(d -> d.findElement(By.cssSelector("input[type=search]")));
    search.sendKeys("ali");
    waitUntil(d -> main().getText().contains("alice@example.com"));
    shoot("08-users");

    // Clients: an invalid redirect URI is named by line; a confidential client's secret is shown once.
    go("#/t/acme/clients");
    heading("Clients");
    WebElement newClient = form("New client");
    type(newClient, "Client ID", "dashboard");
    select(newClient, "Type", "confidential");
    type(newClient, "Redirect URIs", "https://dash.example.com/cb\nhttp://dash.example.com/cb");
    submit(newClient);
    assertThat(fieldError(newClient, "Redirect URIs")).contains("Line 2").contains("http only for loopback");
    assertThat(input(newClient, "Redirect URIs").getAttribute("value")).contains("https://dash.example.com/cb");
    shoot("09-client-error");
    WebElement uris = input(newClient, "Redirect URIs");
    uris.clear();
    uris.sendKeys("https://dash.example.com/cb");
    submit(newClient);
    heading("Client dashboard");
    WebElement secret = waitUntil(d -> d.findElement(By.cssSelector("input[data-secret]")));
    assertThat(secret.getAttribute("value")).hasSizeGreaterThan(40);
    button(main(), "Copy").click();
    waitUntil(d -> main().findElements(By.cssSelector("button[data-copied]")).isEmpty() ? null : true);
    shoot("10-client-secret");
    go("#/t/acme/clients");
    heading("Clients");
    WebElement kubectl = form("New client");
    type(kubectl, "Client ID", "kubernetes");
    type(kubectl, "Redirect URIs", "http://localhost:8000");
    submit(kubectl);
    heading("Client kubernetes");
    go("#/t/acme/clients");
    waitUntil(d -> main().getText().contains("dashboard") && main().getText().contains("kubernetes") ? true : null);
    shoot("11-clients");

    // Clusters: connect one; the files come with copy and download buttons.
    go("#/t/acme/clusters");
    heading("Clusters");
    WebElement connect = form("Connect a cluster");
    type(connect, "Cluster name", "prod-1");
    type(connect, "API server URL", "https://10.0.0.1:6443");
    submit(connect);
    waitUntil(d -> main().getText().contains("webhook-kubeconfig.yaml") ? true : null);
    String credential = browser.findElement(By.cssSelector("input[data-secret]")).getAttribute("value");
    assertThat(credential).startsWith("lyw_");
    assertThat(main().getText()).contains("kube-apiserver-flags.txt", "authentication-config-v1.yaml",
        "authentication-config-v1beta1.yaml", "kubeconfig-prod-1.yaml", "ca.pem", "--authentication-token-webhook-version=v1");
    assertThat(main().findElements(By.xpath(".//button[starts-with(@aria-label, 'Download ')]")).size()).isGreaterThanOrEqualTo(6);
    shoot("12-clusters-connect");
    main().findElement(By.xpath(".//button[@aria-label='Download kube-apiserver-flags.txt']")).click();
    assertThat(downloaded("kube-apiserver-flags.txt")).contains("--authentication-token-webhook-config-file=",
        "--oidc-issuer-url=" + lanyard.issuer("acme"));
    main().findElement(By.xpath(".//button[@aria-label='Download webhook-kubeconfig.yaml']")).click();
    assertThat(downloaded("webhook-kubeconfig.yaml")).contains("token: " + credential);

    // The registered cluster's own page gives the files again; without the credential, no webhook kubeconfig.
    go("#/t/acme/clusters/prod-1");
    heading("Cluster prod-1");
    WebElement clusterFiles = form("Cluster files");
    type(clusterFiles, "API server URL", "https://10.0.0.1:6443");
    submit(clusterFiles);
    waitUntil(d -> main().getText().contains("kubeconfig-prod-1-device-code.yaml") ? true : null);
    assertThat(main().findElements(By.xpath(".//button[@aria-label='Download webhook-kubeconfig.yaml']"))).isEmpty();
    assertThat(main().findElements(By.xpath(".//button[@aria-label='Download kube-apiserver-flags.txt']"))).hasSize(1);
    shoot("12b-cluster-detail");

    // Robots and tokens: a ttl over the tenant maximum is refused next to the field; then a token is minted.
    go("#/t/acme/robots");
    heading("Robots");
    WebElement newRobot = form("New robot");
    type(newRobot, "Name", "ci");
    type(newRobot, "Description", "CI pipeline");
    check(newRobot, "dev");
    submit(newRobot);
    heading("Robot ci");
    shoot("13-robot");
    waitUntil(d -> main().findElement(By.linkText("Mint a token"))).click();
    heading("Tokens");
    WebElement mint = form("Mint a token");
    assertThat(input(mint, "Username or robot name").getAttribute("value")).isEqualTo("ci");
    type(mint, "Lifetime", "400d");
    check(mint, "prod-1");
    type(mint, "Description", "deploys");
    submit(mint);
    assertThat(fieldError(mint, "Lifetime")).contains("30d");
    assertThat(input(mint, "Description").getAttribute("value")).isEqualTo("deploys");
    type(mint, "Lifetime", "1d");
    submit(mint);
    WebElement tokenBox = waitUntil(d -> d.findElement(By.cssSelector("input[data-secret]")));
    String token = tokenBox.getAttribute("value");
    assertThat(token).startsWith("lyk_");
    shoot("14-token-minted");

    // The token works in a TokenReview over HTTPS...
    HttpResponse<String> review = tokenReview("acme", credential, token);
    assertThat(review.statusCode()).isEqualTo(200);
    JsonObject status = new JsonObject(review.body()).getJsonObject("status");
    assertThat(status.getBoolean("authenticated")).as(review.body()).isTrue();
    assertThat(status.getJsonObject("user").getString("username")).isEqualTo("robot:ci");
    assertThat(status.getJsonObject("user").getJsonArray("groups")).contains("dev");

    // ...the console shows its last use (recorded every few seconds) and revokes it...
    go("#/t/acme/robots");
    heading("Robots");
    waitUntil(d -> d.findElements(By.linkText("ci")).stream().findFirst().orElse(null)).click();
    heading("Robot ci");
    String robotPage = browser.getCurrentUrl();
    new WebDriverWait(browser, Duration.ofSeconds(20)).pollingEvery(Duration.ofSeconds(2)).until(d -> {
      d.navigate().refresh();
      heading("Robot ci");
      return waitUntil(x -> main().findElements(By.cssSelector("tbody tr")).isEmpty() ? null : main().getText())
          .matches("(?s).*\\d+ (s|min) ago.*");
    });
    assertThat(browser.getCurrentUrl()).isEqualTo(robotPage);
    WebElement revoke = waitUntil(d -> d.findElements(By.xpath("//button[starts-with(@aria-label, 'Revoke token')]"))
        .stream().findFirst().orElse(null));
    revoke.click();
    button(dialog(), "Revoke").click();
    assertThat(notice()).contains("revoked");
    waitUntil(d -> main().getText().contains("No active tokens.") ? true : null);
    shoot("15-token-revoked");

    // ...and the next TokenReview refuses it.
    review = tokenReview("acme", credential, token);
    assertThat(review.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(review.body()).getJsonObject("status").getBoolean("authenticated")).isFalse();

    // The overview's chart counted the reviews: one allowed, one denied.
    go("#/overview");
    heading("Overview");
    waitUntil(d -> main().getText().contains("allowed 1") && main().getText().contains("denied 1") ? true : null);
    shoot("16-overview-activity");

    // A group deleted in another tab: the rename form says so and keeps what was typed.
    JsonObject groups = AdminClient.login(lanyard, "default", "admin", TestLanyard.ADMIN_PASSWORD)
        .ok("/tenants/acme/groups?q=dev");
    String groupId = groups.getJsonArray("items").getJsonObject(0).getString("id");
    go("#/t/acme/groups/" + groupId);
    heading("Group dev");
    WebElement rename = form("Rename group");
    type(rename, "Name", "developers");
    AdminClient.login(lanyard, "default", "admin", TestLanyard.ADMIN_PASSWORD)
        .expect(204, "DELETE", "/tenants/acme/groups/" + groupId, null);
    submit(rename);
    assertThat(formError(rename)).contains("no longer exists");
    assertThat(input(rename, "Name").getAttribute("value")).isEqualTo("developers");
    shoot("17-deleted-elsewhere");

    // Keys: rotate now; the JWKS as served.
    go("#/t/acme/keys");
    heading("Signing keys");
    waitUntil(d -> main().getText().contains("\"keys\"") ? true : null);
    button(main(), "Rotate now…").click();
    button(dialog(), "Rotate").click();
    assertThat(notice()).contains("New key");
    shoot("18-keys");

    // Audit log: filtered by action, exported.
    go("#/audit");
    heading("Audit log");
    WebElement filters = form("Filter audit events");
    select(filters, "Tenant", "acme");
    type(filters, "Action", "token.revoke");
    submit(filters);
    waitUntil(d -> main().findElements(By.xpath("//td/code[text()='token.revoke']")).size() == 1 ? true : null);
    shoot("19-audit");
    button(filters, "Export as JSON lines").click();
    Path export = waitUntil(d -> {
      try (var files = Files.list(DOWNLOADS)) {
        return files.filter(f -> f.getFileName().toString().matches("lanyard-audit-.*\\.jsonl")).findFirst().orElse(null);
      } catch (java.io.IOException e) {
        return null;
      }
    });
    List<String> exported = waitUntil(d -> {
      try {
        List<String> l = Files.readAllLines(export);
        return l.isEmpty() ? null : l;
      } catch (java.io.IOException e) {
        return null;
      }
    });
    assertThat(exported).hasSize(1);
    assertThat(new JsonObject(exported.get(0)).getString("action")).isEqualTo("token.revoke");
    assertThat(new JsonObject(exported.get(0)).getString("tenant")).isEqualTo("acme");

    // An expired console session: the next action asks to sign in again over the page, keeping the form.
    go("#/t/acme/groups");
    heading("Groups");
    WebElement again = form("New group");
    type(again, "Name", "ops");
    String consoleToken = (String) js.executeScript(
        "return JSON.parse(sessionStorage.getItem('lanyard.console.session')).token");
    new AdminClient(lanyard, consoleToken).expect(204, "POST", "/logout", new JsonObject());
    submit(again);
    WebElement expired = dialog();
    assertThat(expired.getText()).contains("Your session has ended");
    shoot("20-session-expired");
    type(expired, "Password", TestLanyard.ADMIN_PASSWORD);
    submit(expired.findElement(By.cssSelector("form")));
    waitUntil(d -> d.findElements(By.cssSelector("dialog[open]")).isEmpty() ? true : null);
    assertThat(input(again, "Name").getAttribute("value")).isEqualTo("ops");
    submit(again);
    heading("Group ops");
    signOut();
  }

  @Test
  @DisplayName("a tenant administrator sees only their tenant and is offered no global controls")
  void tenantAdministrator() throws Exception {
    AdminClient admin = AdminClient.login(lanyard, "default", "admin", TestLanyard.ADMIN_PASSWORD);
    for (String t : List.of("team-a", "team-b")) {
      if (admin.get("/tenants/" + t).statusCode() == 404) admin.created("/tenants", new JsonObject().put("id", t));
    }
    admin.created("/tenants/team-a/users", new JsonObject().put("username", "bob").put("password", "bob-password-123"));
    admin.created("/tenants/team-b/users", new JsonObject().put("username", "carol").put("password", "carol-password-1"));

    // A global administrator makes bob the administrator of team-a in the console.
    openSignedOut();
    signIn("default", "admin", TestLanyard.ADMIN_PASSWORD);
    heading("Overview");
    go("#/admins");
    heading("Administrators");
    WebElement grant = form("Grant an admin role");
    select(grant, "User’s tenant", "team-a");
    type(grant, "Username", "nobody");
    select(grant, "Manages", "team-a");
    submit(grant);
    assertThat(fieldError(grant, "Username")).isEqualTo("No user nobody in tenant team-a.");
    type(grant, "Username", "bob");
    submit(grant);
    assertThat(notice()).contains("bob now manages team-a");
    waitUntil(d -> main().findElements(By.xpath("//a[text()='bob']")).isEmpty() ? null : true);
    shoot("24-administrators");
    signOut();

    signIn("team-a", "bob", "bob-password-123");
    heading("Overview");
    WebElement picker = waitUntil(d -> d.findElement(By.id("tenant-picker")));
    List<String> options = picker.findElements(By.tagName("option")).stream().map(o -> o.getAttribute("value")).toList();
    assertThat(options).containsExactly("team-a");
    assertThat(main().getText()).contains("team-a").doesNotContain("team-b").doesNotContain("acme");
    assertThat(browser.findElement(By.cssSelector("nav.sidebar")).getText()).doesNotContain("Administrators");
    shoot("21-tenant-admin-overview");

    go("#/tenants");
    heading("Tenants");
    waitUntil(d -> main().getText().contains("team-a") ? true : null);
    assertThat(main().findElements(By.cssSelector("form[aria-label='New tenant']"))).isEmpty();
    assertThat(main().getText()).doesNotContain("team-b");
    go("#/tenants/team-a");
    heading("Tenant team-a");
    assertThat(main().getText()).doesNotContain("Delete tenant");
    shoot("22-tenant-admin-tenant");

    go("#/t/team-b/users");
    waitUntil(d -> main().getText().contains("Your admin role does not cover this") ? true : null);
    assertThat(main().getText()).doesNotContain("carol");
    shoot("23-tenant-admin-refused");

    go("#/t/team-a/users");
    heading("Users");
    waitUntil(d -> main().getText().contains("bob") ? true : null);
    signOut();
  }

  @Test
  @DisplayName("Sign in with Lanyard: the tenant's login page, authorization code + PKCE, back in the console")
  void signInWithLanyard() throws Exception {
    openSignedOut();
    button(main(), "Sign in with Lanyard (default)").click();
    waitUntil(d -> d.getCurrentUrl().contains("/t/default/login") ? true : null);
    shoot("00-lanyard-login");
    browser.findElement(By.id("username")).sendKeys("admin");
    browser.findElement(By.id("password")).sendKeys(TestLanyard.ADMIN_PASSWORD);
    browser.findElement(By.id("submit")).click();
    heading("Overview");
    assertThat(browser.getCurrentUrl()).startsWith(lanyard.baseUrl() + "/admin/").doesNotContain("code=");
    JsonObject stored = new JsonObject((String) ((JavascriptExecutor) browser).executeScript(
        "return sessionStorage.getItem('lanyard.console.session')"));
    assertThat(stored.getString("method")).isEqualTo("authorization_code");
    assertThat(stored.getString("token")).startsWith("lya_");
    assertThat(lanyard.get("/admin/api/v1/me", "Authorization", "Bearer " + stored.getString("token")).statusCode())
        .isEqualTo(200);
    assertNoConsoleErrors();
    assertThat(stored.getString("idToken")).isNotBlank();
    // The user page lists the Lanyard login session this sign-in made, with a button to end it.
    String adminId = new JsonObject(lanyard.get("/admin/api/v1/tenants/default/users?q=admin", "Authorization",
        "Bearer " + stored.getString("token")).body()).getJsonArray("items").getJsonObject(0).getString("id");
    go("#/t/default/users/" + adminId);
    heading("admin");
    waitUntil(d -> d.findElements(By.cssSelector("button[aria-label^='End login session']")).isEmpty() ? null : true);
    shoot("07b-user-login-sessions");
    // Sign-out revokes the admin token and, through the tenant's logout (id_token_hint), ends the Lanyard login
    // session, then comes back to the console's sign-in.
    signOut();
    assertThat(browser.getCurrentUrl()).isEqualTo(lanyard.baseUrl() + "/admin/");
    assertThat(lanyard.get("/admin/api/v1/me", "Authorization", "Bearer " + stored.getString("token")).statusCode())
        .isEqualTo(401);
    button(main(), "Sign in with Lanyard (default)").click();
    waitUntil(d -> d.getCurrentUrl().contains("/t/default/login") ? true : null); // no single sign-on left
    open("");
  }

  @Test
  @DisplayName("the authorization code + PKCE sign-in module sends an S256 challenge of its verifier, checks state, and "
      + "shows the token endpoint's error")
  void authorizationCodeModule() throws Exception {
    openSignedOut();
    JavascriptExecutor js = (JavascriptExecutor) browser;
    // Start the flow as the "Sign in with Lanyard" button does.
    js.executeScript("import('/admin/js/session.js').then(m => m.beginAuthorizationCode("
        + "{clientId: 'lanyard-console', redirectPath: '/admin/callback.html'}, 'default', '/admin/#/tenants'))");
    // The authorization endpoint sends a browser without a login session on to the login page, which carries
    // the authorization request in return_to.
    String authorize = waitUntil(d -> {
      String url = d.getCurrentUrl();
      if (url.contains("/t/default/authorize?")) return url;
      int at = url.indexOf("/t/default/login?return_to=");
      return at < 0 ? null : lanyard.baseUrl() + java.net.URLDecoder.decode(
          url.substring(at + "/t/default/login?return_to=".length()), java.nio.charset.StandardCharsets.UTF_8);
    });
    java.util.Map<String, String> q = new java.util.HashMap<>();
    for (String pair : java.net.URI.create(authorize).getRawQuery().split("&")) {
      String[] kv = pair.split("=", 2);
      q.put(kv[0], java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8));
    }
    assertThat(q).containsEntry("response_type", "code").containsEntry("client_id", "lanyard-console")
        .containsEntry("redirect_uri", lanyard.baseUrl() + "/admin/callback.html")
        .containsEntry("code_challenge_method", "S256").containsKeys("state", "nonce", "code_challenge");
    open("");
    JsonObject pending = new JsonObject((String) js.executeScript(
        "return sessionStorage.getItem('lanyard.console.pending-authorization')"));
    String verifier = pending.getString("verifier");
    assertThat(verifier).hasSizeGreaterThanOrEqualTo(43);
    String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
        .digest(verifier.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    assertThat(q.get("code_challenge")).isEqualTo(challenge);
    assertThat(pending.getString("state")).isEqualTo(q.get("state"));

    // A forged answer (wrong state) is refused before any token request.
    browser.get(lanyard.baseUrl() + "/admin/callback.html?code=abc&state=forged");
    String refused = waitUntil(d -> {
      String t = d.findElement(By.id("status")).getText();
      return t.startsWith("Sign-in failed") ? t : null;
    });
    assertThat(refused).contains("does not match");
    assertThat(browser.getCurrentUrl()).doesNotContain("code=");

    // The right state with a made-up code: the code goes to the token endpoint, whose invalid_grant is shown;
    // nothing is stored as a session.
    js.executeScript("sessionStorage.setItem('lanyard.console.pending-authorization', arguments[0])", pending.encode());
    browser.get(lanyard.baseUrl() + "/admin/callback.html?code=abc&state=" + q.get("state"));
    String failed = waitUntil(d -> {
      String t = d.findElement(By.id("status")).getText();
      return t.startsWith("Sign-in failed") ? t : null;
    });
    assertThat(failed).doesNotContain("does not match");
    assertThat(js.executeScript("return sessionStorage.getItem('lanyard.console.session')")).isNull();
    assertThat(js.executeScript("return sessionStorage.getItem('lanyard.console.pending-authorization')")).isNull();
    // The token endpoint's 400 is in the browser log by design.
    browser.manage().logs().get(LogType.BROWSER);
  }

  @Test
  @DisplayName("the console is served with a strict CSP and no outside assets")
  void servedStrictly() throws Exception {
    HttpResponse<String> index = lanyard.get("/admin/");
    assertThat(index.statusCode()).isEqualTo(200);
    String csp = index.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(csp).contains("script-src 'self'", "style-src 'self'", "connect-src 'self'", "default-src 'none'")
        .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
    assertThat(index.body()).doesNotContainPattern("(src|href)=\"(https?:)?//");
    assertThat(index.body()).doesNotContain("<script>").doesNotContain("style=");
    Path root = Path.of("..", "admin-ui", "src", "main", "resources", "META-INF", "resources", "admin");
    try (var files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String text = Files.readString(f);
        assertThat(text).as(f.toString()).doesNotContainPattern("(import|from)\\s*['\"]https?:")
            .doesNotContain("innerHTML").doesNotContain("localStorage.setItem").doesNotContain("eval(");
      }
    }
    HttpResponse<String> script = lanyard.get("/admin/js/app.js");
    assertThat(script.headers().firstValue("Content-Type").orElse("")).contains("javascript");
    // Revalidated on every load, so an upgrade is picked up at once.
    assertThat(script.headers().firstValue("Cache-Control").orElse("")).as(script.headers().toString()).contains("max-age=0");
    assertThat(lanyard.get("/admin/api/v1/console").body()).contains("\"adminTenant\":\"default\"");
  }
}
