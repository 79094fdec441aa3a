package dev.lanyard.idp.authorize;

import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sends the browser back to the client's redirect URI with query parameters added to those it already has
 * (RFC 6749 §3.1.2: the query component is retained). 302 for GET; 303 after a POST, so the browser does not
 * re-post the form to the client.
 */
final class AuthorizationResponses {
  private AuthorizationResponses() {}

  static void redirect(RoutingContext ctx, String redirectUri, Map<String, String> params) {
    StringBuilder location = new StringBuilder(redirectUri);
    char separator = redirectUri.indexOf('?') >= 0 ? '&' : '?';
    for (Map.Entry<String, String> e : params.entrySet()) {
      if (e.getValue() == null) continue;
      location.append(separator).append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
      separator = '&';
    }
    int status = "GET".equals(ctx.request().method().name()) ? 302 : 303;
    ctx.response().setStatusCode(status).putHeader("Location", location.toString())
        .putHeader("Cache-Control", "no-store").end();
  }

  static void error(RoutingContext ctx, RedirectError e) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("error", e.code);
    params.put("error_description", e.getMessage());
    params.put("state", e.state);
    params.put("iss", e.issuer);
    redirect(ctx, e.redirectUri, params);
  }
}
