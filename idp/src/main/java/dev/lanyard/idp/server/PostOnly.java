package dev.lanyard.idp.server;

import io.vertx.ext.web.Router;

/**
 * A 405 with {@code Allow: POST} and an RFC 6749 error body for the other methods on an endpoint that only takes
 * POST (token, introspection, revocation, device authorization). Without it the router's catch-all would call
 * a known endpoint "no such endpoint".
 */
public final class PostOnly {
  private PostOnly() {}

  /** Mount after the endpoint's POST route: POST requests never reach this one. */
  public static void mount(Router router, String path) {
    router.route(path).handler(ctx -> {
      ctx.response().putHeader("Allow", "POST");
      JsonErrors.send(ctx, 405, "invalid_request", ctx.request().method() + " is not allowed here; use POST");
    });
  }
}
