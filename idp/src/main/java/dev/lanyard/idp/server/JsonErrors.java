package dev.lanyard.idp.server;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Last-resort answers for requests no endpoint took or that failed outside an endpoint's own error handling. */
final class JsonErrors {
  private static final Logger log = LoggerFactory.getLogger(JsonErrors.class);

  private JsonErrors() {}

  static void notFound(RoutingContext ctx) {
    send(ctx, 404, "not_found", "no such endpoint");
  }

  /** Router failure handler: body too large, bad method, or an exception nobody caught. Never a stack trace. */
  static void failure(RoutingContext ctx) {
    int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
    if (status == 500) log.error("{} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
    String code = switch (status) {
      case 400 -> "invalid_request";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 413 -> "request_too_large";
      case 415 -> "unsupported_media_type";
      default -> status >= 500 ? "server_error" : "invalid_request";
    };
    String description = status == 413 ? "request body too large"
        : status >= 500 ? "internal error"
        : ctx.failure() instanceof RequestBodies.MalformedForm malformed ? malformed.getMessage()
        : null;
    send(ctx, status, code, description);
  }

  static void send(RoutingContext ctx, int status, String code, String description) {
    if (ctx.response().ended()) return;
    JsonObject body = new JsonObject().put("error", code);
    if (description != null) body.put("error_description", description);
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json;charset=UTF-8")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }
}
