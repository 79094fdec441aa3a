package dev.lanyard.idp.testing;

import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium for page tests: Debian's {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver},
 * named explicitly so Selenium downloads nothing. It trusts Lanyard's generated test CA only: certificate errors
 * are ignored just for that CA's public key ({@code --ignore-certificate-errors-spki-list}). Screenshots go to
 * {@code idp/target/screenshots/}.
 */
public final class HeadlessChromium implements AutoCloseable {
  static final String CHROMIUM = "/usr/bin/chromium";
  static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  public static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private final ChromeDriverService service;
  private final WebDriver browser;

  /** Starts Chromium with a fresh profile in {@code profileDir}, trusting the CA of {@code lanyard}. */
  public HeadlessChromium(TestLanyard lanyard, Path profileDir) throws Exception {
    service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort()
        .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=900,760", "--user-data-dir=" + profileDir,
        "--ignore-certificate-errors-spki-list=" + spkiHash(lanyard.server().caFile()));
    try {
      browser = new ChromeDriver(service, options);
    } catch (RuntimeException e) {
      service.stop();
      throw e;
    }
    browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
    Files.createDirectories(SCREENSHOTS);
  }

  public WebDriver browser() {
    return browser;
  }

  /** Saves what the browser shows as {@code target/screenshots/{name}.png}. */
  public void screenshot(String name) throws Exception {
    Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  /** Waits up to 15 s for the current URL to start with {@code prefix}. */
  public void awaitUrl(String prefix) {
    new WebDriverWait(browser, Duration.ofSeconds(15)).until(d -> d.getCurrentUrl().startsWith(prefix));
  }

  /** Base64 SHA-256 of the CA certificate's SubjectPublicKeyInfo, the form Chromium's SPKI list takes. */
  static String spkiHash(Path caPem) throws Exception {
    try (InputStream in = Files.newInputStream(caPem)) {
      X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
          .digest(ca.getPublicKey().getEncoded()));
    }
  }

  @Override
  public void close() {
    try {
      browser.quit();
    } finally {
      service.stop();
    }
  }
}
