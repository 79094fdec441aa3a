package dev.lanyard.idp.oauth;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The request shape introspection (RFC 7662 §2.1) and revocation (RFC 7009 §2.1) share: a form with
 * {@code token}, an optional {@code token_type_hint} and the client's credentials, parsed by
 * {@link TokenRequest#parse} (one value per parameter, Basic or posted credentials).
 *
 * <p>One difference from the token endpoint: a {@code token} longer than any real one is a bad token, not a
 * malformed request, so it is set aside before parsing and answered like any other bad token. (Past the
 * server's form attribute limit, 8 KiB, Vert.x refuses the body itself: 400 {@code invalid_request}.)
 */
final class TokenRevocationRequests {
  /** Nothing Lanyard issues comes close; longer values are bad tokens. */
  static final int MAX_TOKEN_LENGTH = TokenRequest.MAX_PARAM_LENGTH;
  /** Stands in for an oversized token: well-formed for no format, so every lookup refuses it. */
  static final String OVERSIZED = "oversized";

  private TokenRevocationRequests() {}

  /**
   * @param form the parsed request, for client authentication
   * @param token the token to act on, or null when absent
   * @param tokenTypeHint the hint, or null; unknown hints are ignored (RFC 7662 §2.1, RFC 7009 §2.1)
   */
  record Parsed(TokenRequest form, String token, String tokenTypeHint) {}

  /** Fails (throws) with invalid_request like {@link TokenRequest#parse}. */
  static Parsed parse(HttpServerRequest request) {
    MultiMap attributes = request.formAttributes();
    boolean oversized = attributes.getAll("token").size() == 1
        && attributes.get("token").length() > MAX_TOKEN_LENGTH;
    if (oversized) attributes.remove("token"); // the form is this request's own; no one else reads it
    TokenRequest form = TokenRequest.parse(request);
    return new Parsed(form, oversized ? OVERSIZED : form.param("token"), form.param("token_type_hint"));
  }

  /** A 200 JSON answer that no cache may keep (RFC 7662 §2.2 carries who a token belongs to). */
  static void json(RoutingContext ctx, JsonObject body) {
    ctx.response()
        .putHeader("Content-Type", "application/json;charset=UTF-8")
        .putHeader("Cache-Control", "no-store")
        .putHeader("Pragma", "no-cache")
        .end(body.encode());
  }
}
