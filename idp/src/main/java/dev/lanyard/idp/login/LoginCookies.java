package dev.lanyard.idp.login;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;

/**
 * The login session cookie, {@value #SESSION}: {@code {sessionId}.{secret}}, HttpOnly, SameSite=Lax (sent when a
 * client sends the browser to /authorize, not on cross-site posts), Secure over HTTPS, and scoped to the tenant's
 * path {@code /t/{tenant}/}, so each tenant has its own session and nothing else on the host sees it.
 */
final class LoginCookies {
  static final String SESSION = "lanyard_session";

  private final boolean secure;

  LoginCookies(boolean secure) {
    this.secure = secure;
  }

  /** The raw cookie value of this tenant's session, or null. */
  String read(RoutingContext ctx) {
    Cookie c = ctx.request().getCookie(SESSION);
    return c == null ? null : c.getValue();
  }

  /** Sets the session cookie; a browser session cookie (no Max-Age): the server decides when it ends. */
  void set(RoutingContext ctx, String tenantId, String value) {
    ctx.response().addCookie(base(tenantId, value));
  }

  void clear(RoutingContext ctx, String tenantId) {
    ctx.response().addCookie(base(tenantId, "").setMaxAge(0));
  }

  private Cookie base(String tenantId, String value) {
    return Cookie.cookie(SESSION, value).setPath("/t/" + tenantId + "/").setHttpOnly(true).setSecure(secure)
        .setSameSite(CookieSameSite.LAX);
  }
}
