package dev.lanyard.idp.testing;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scripted browser without a browser: keeps cookies, trusts only Lanyard's test CA, and does not follow redirects,
 * so a test sees each step (as kubelogin's user would, one page at a time).
 */
public final class BrowserClient {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  private final TestLanyard lanyard;
  private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
  private final HttpClient http;

  public BrowserClient(TestLanyard lanyard) {
    this.lanyard = lanyard;
    this.http = HttpClient.newBuilder().sslContext(TestLanyard.trusting(lanyard.server().caFile()))
        .cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** GET of a path on Lanyard, or of an absolute URL. */
  public HttpResponse<String> get(String pathOrUrl) {
    return send(HttpRequest.newBuilder(uri(pathOrUrl)).GET());
  }

  public HttpResponse<String> postForm(String pathOrUrl, Map<String, String> form) {
    return send(HttpRequest.newBuilder(uri(pathOrUrl)).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(TestLanyard.formBody(form))));
  }

  public HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError("request failed: " + e, e);
    }
  }

  /** The CSRF token of the form in {@code html}. */
  public static String csrf(String html) {
    Matcher m = CSRF.matcher(html);
    if (!m.find()) throw new AssertionError("no csrf field in:\n" + html);
    return m.group(1).replace("&#39;", "'");
  }

  /** The value of the hidden field {@code name} in {@code html}. */
  public static String hidden(String html, String name) {
    Matcher m = Pattern.compile("name=\"" + Pattern.quote(name) + "\" value=\"([^\"]*)\"").matcher(html);
    if (!m.find()) throw new AssertionError("no field " + name + " in:\n" + html);
    return m.group(1).replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<")
        .replace("&gt;", ">");
  }

  public HttpCookie cookie(String name) {
    return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name)).findFirst()
        .orElse(null);
  }

  public void forgetCookies() {
    cookies.getCookieStore().removeAll();
  }

  private URI uri(String pathOrUrl) {
    return URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : lanyard.baseUrl() + pathOrUrl);
  }
}
