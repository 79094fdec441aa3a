package dev.lanyard.idp.pages;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * CSRF tokens for Lanyard's forms: {@code {issuedAt}.{HMAC-SHA256(key, purpose, tenant, binding, issuedAt)}}.
 * The binding is what ties a form to one browser: before login a random pre-login cookie ({@value #COOKIE},
 * HttpOnly, SameSite=Lax, scoped to {@code /t/{tenant}/}), after login the login session's id. The key is derived
 * from the master key, so every replica accepts every other's forms, and a cookie planted by a sibling site is
 * useless without it. A token older than the form lifetime is stale: the form is shown again, never processed.
 */
public final class CsrfTokens {
  public static final String COOKIE = "lanyard_csrf";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final byte[] key;
  private final Clock clock;
  private final Duration lifetime;
  private final boolean secureCookies;

  /** The outcome of a check. */
  public enum Check {
    VALID,
    /** Well-formed and once ours, but too old, or its pre-login cookie is gone: show the form again. */
    STALE,
    /** Missing, malformed or forged. */
    INVALID
  }

  /**
   * @param key at least 32 secret bytes shared by every replica
   * @param lifetime how long a rendered form may be submitted
   * @param secureCookies whether cookies carry {@code Secure} (when served over HTTPS)
   */
  public CsrfTokens(byte[] key, Clock clock, Duration lifetime, boolean secureCookies) {
    this.key = key.clone();
    this.clock = clock;
    this.lifetime = lifetime;
    this.secureCookies = secureCookies;
  }

  /** A token for a form shown to a browser that may not be signed in; sets the pre-login cookie if missing. */
  public String issueForBrowser(RoutingContext ctx, String tenantId, String purpose) {
    Cookie existing = ctx.request().getCookie(COOKIE);
    String binding = existing != null && validBinding(existing.getValue()) ? existing.getValue() : null;
    if (binding == null) {
      byte[] random = new byte[32];
      RANDOM.nextBytes(random);
      binding = B64.encodeToString(random);
      ctx.response().addCookie(Cookie.cookie(COOKIE, binding).setPath("/t/" + tenantId + "/").setHttpOnly(true)
          .setSecure(secureCookies).setSameSite(CookieSameSite.LAX));
    }
    return issue(tenantId, purpose, binding);
  }

  /** Checks a token issued by {@link #issueForBrowser} to this browser. */
  public Check checkForBrowser(RoutingContext ctx, String tenantId, String purpose, String token) {
    if (!wellFormed(token)) return Check.INVALID;
    Cookie cookie = ctx.request().getCookie(COOKIE);
    // The cookie went away (browser restarted, cleared): the form is stale, not an attack.
    if (cookie == null || !validBinding(cookie.getValue())) return Check.STALE;
    return check(tenantId, purpose, cookie.getValue(), token);
  }

  /** A token for a form shown inside a login session (consent, sign-out, device approval). */
  public String issueForSession(String tenantId, String purpose, String sessionId) {
    return issue(tenantId, purpose, "session:" + sessionId);
  }

  public Check checkForSession(String tenantId, String purpose, String sessionId, String token) {
    if (!wellFormed(token)) return Check.INVALID;
    return check(tenantId, purpose, "session:" + sessionId, token);
  }

  private String issue(String tenantId, String purpose, String binding) {
    long issuedAt = clock.instant().getEpochSecond();
    return issuedAt + "." + B64.encodeToString(mac(tenantId, purpose, binding, issuedAt));
  }

  private Check check(String tenantId, String purpose, String binding, String token) {
    int dot = token.indexOf('.');
    long issuedAt;
    byte[] presented;
    try {
      issuedAt = Long.parseLong(token.substring(0, dot));
      presented = Base64.getUrlDecoder().decode(token.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      return Check.INVALID;
    }
    if (!MessageDigest.isEqual(mac(tenantId, purpose, binding, issuedAt), presented)) return Check.INVALID;
    long age = clock.instant().getEpochSecond() - issuedAt;
    return age < -60 || age > lifetime.toSeconds() ? Check.STALE : Check.VALID;
  }

  private static boolean wellFormed(String token) {
    return token != null && token.length() <= 128 && token.indexOf('.') > 0;
  }

  private static boolean validBinding(String value) {
    return value != null && value.length() == 43 && value.chars().allMatch(c -> Character.isLetterOrDigit(c)
        || c == '-' || c == '_');
  }

  private byte[] mac(String tenantId, String purpose, String binding, long issuedAt) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal((purpose + "\n" + tenantId + "\n" + binding + "\n" + issuedAt)
          .getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
