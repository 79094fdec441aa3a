package dev.lanyard.idp.server;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/** Headers every response carries: nothing Lanyard serves may be framed, sniffed or loaded from elsewhere. */
final class SecurityHeaders implements Handler<RoutingContext> {
  static final String DEFAULT_CSP = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
  /**
   * The web console's: its own scripts and style sheets only (no inline script or style elements, no eval),
   * API calls to this origin only, images from itself or data: URLs (the inline SVG charts need neither).
   */
  static final String CONSOLE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
      + "img-src 'self' data:; font-src 'self'; manifest-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
      + "form-action 'self'";
  private final boolean https;

  SecurityHeaders(boolean https) {
    this.https = https;
  }

  @Override
  public void handle(RoutingContext ctx) {
    apply(ctx.request(), https);
    ctx.next();
  }

  /** Sets the headers on {@code request}'s response; for requests that do not go through the router too. */
  static void apply(HttpServerRequest request, boolean https) {
    var headers = request.response().headers();
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("X-Frame-Options", "DENY");
    headers.set("Referrer-Policy", "no-referrer");
    String path = request.path();
    boolean console = path != null && path.startsWith("/admin/") && !path.startsWith("/admin/api/");
    headers.set("Content-Security-Policy", console ? CONSOLE_CSP : DEFAULT_CSP);
    if (https) headers.set("Strict-Transport-Security", "max-age=31536000");
  }
}
