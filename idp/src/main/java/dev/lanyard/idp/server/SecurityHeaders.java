package dev.lanyard.idp.server;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** Headers every response carries: nothing Lanyard serves may be framed, sniffed or loaded from elsewhere. */
final class SecurityHeaders implements Handler<RoutingContext> {
  private final boolean https;

  SecurityHeaders(boolean https) {
    this.https = https;
  }

  @Override
  public void handle(RoutingContext ctx) {
    var headers = ctx.response().headers();
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("X-Frame-Options", "DENY");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    if (https) headers.set("Strict-Transport-Security", "max-age=31536000");
    ctx.next();
  }
}
