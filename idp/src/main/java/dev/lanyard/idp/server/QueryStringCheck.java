package dev.lanyard.idp.server;

import dev.lanyard.idp.admin.AdminApi;
import dev.lanyard.idp.k8s.TokenReviewWebhook;
import dev.lanyard.idp.pages.PageRenderer;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * The router's first handler after the security headers: decodes the query string before anything else does.
 * Vert.x decodes it on the first {@code params()} call, which the router itself makes as soon as it matches a route
 * with a path parameter ({@code /t/:tenant/...}), and throws IllegalArgumentException for a malformed percent
 * escape ({@code %zz}, a trailing {@code %}): the router then logged a stack trace and answered a bare "Bad
 * Request", and an endpoint reading its parameters outside a try a 500. Here such a request is answered 400 in the
 * format of the endpoints it was sent to: RFC 9457 problem JSON under the admin API, a Kubernetes {@code Status}
 * at the TokenReview webhook, an error page to a browser (it asks for HTML), RFC 6749 JSON elsewhere.
 *
 * <p>Costs nothing new: a request without a query passes untouched, and the decoded parameters stay with the
 * request, so the router and the endpoints do not decode them again. The webhook's usual requests never get here
 * (they take its {@link DirectEndpoint}, which does not read the query, so a malformed one is ignored there as
 * {@code ?timeout=30s} is).
 */
final class QueryStringCheck implements Handler<RoutingContext> {
  private static final String PROBLEM = "the query string has a malformed percent escape";

  private final PageRenderer pages;

  QueryStringCheck(PageRenderer pages) {
    this.pages = pages;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (request.query() == null) {
      ctx.next();
      return;
    }
    try {
      request.params();
    } catch (IllegalArgumentException malformed) {
      refuse(ctx, request.path() == null ? "" : request.path());
      return;
    }
    ctx.next();
  }

  private void refuse(RoutingContext ctx, String path) {
    if (path.startsWith("/admin/api/")) {
      AdminApi.badRequest(ctx, PROBLEM);
    } else if (path.startsWith("/t/") && (path.endsWith("/tokenreview") || path.endsWith("/tokenreview/"))) {
      TokenReviewWebhook.badRequest(ctx.response(), PROBLEM);
    } else if (acceptsHtml(ctx.request())) {
      pages.error(ctx, 400, null, "Invalid request", "The address has a malformed query string (a broken % escape).");
    } else {
      JsonErrors.send(ctx, 400, "invalid_request", PROBLEM);
    }
  }

  /** A browser navigating or submitting a form asks for HTML; OAuth clients and API callers do not. */
  private static boolean acceptsHtml(HttpServerRequest request) {
    String accept = request.getHeader("Accept");
    return accept != null && accept.contains("text/html");
  }
}
