package dev.lanyard.idp.oauth;

import io.vertx.core.json.JsonObject;

/**
 * An RFC 6749 §5.2 error. The description is shown to the client, so it never carries stack traces, SQL or
 * internal ids.
 */
public record OAuthError(String code, String description, int status) {

  public static OAuthError invalidRequest(String why) {
    return new OAuthError("invalid_request", why, 400);
  }

  /** Client authentication failed (RFC 6749 §5.2: 401 with WWW-Authenticate). */
  public static OAuthError invalidClient(String why) {
    return new OAuthError("invalid_client", why, 401);
  }

  public static OAuthError invalidGrant(String why) {
    return new OAuthError("invalid_grant", why, 400);
  }

  public static OAuthError unauthorizedClient(String why) {
    return new OAuthError("unauthorized_client", why, 400);
  }

  public static OAuthError unsupportedGrantType(String why) {
    return new OAuthError("unsupported_grant_type", why, 400);
  }

  /** RFC 7009 §2.2.1: the server does not revoke tokens of this type at this endpoint. */
  public static OAuthError unsupportedTokenType(String why) {
    return new OAuthError("unsupported_token_type", why, 400);
  }

  public static OAuthError invalidScope(String why) {
    return new OAuthError("invalid_scope", why, 400);
  }

  /** RFC 8628 §3.5: the user has not yet approved or denied; poll again after the interval. */
  public static OAuthError authorizationPending() {
    return new OAuthError("authorization_pending", "the user has not yet approved or denied the request", 400);
  }

  /** RFC 8628 §3.5: still pending, and polled too fast: add 5 seconds to the interval from now on. */
  public static OAuthError slowDown(int intervalSeconds) {
    return new OAuthError("slow_down", "polling too fast: wait " + intervalSeconds + " seconds between requests", 400);
  }

  /** RFC 8628 §3.5: the user denied the request. */
  public static OAuthError accessDenied(String why) {
    return new OAuthError("access_denied", why, 400);
  }

  /** RFC 8628 §3.5: the device code expired before it was approved and redeemed; start over. */
  public static OAuthError expiredToken(String why) {
    return new OAuthError("expired_token", why, 400);
  }

  /** Lanyard is overloaded or its database is unreachable: try again later (503 + Retry-After). */
  public static OAuthError temporarilyUnavailable(String why) {
    return new OAuthError("temporarily_unavailable", why, 503);
  }

  public static OAuthError serverError() {
    return new OAuthError("server_error", "internal error", 500);
  }

  public static OAuthError notFound(String why) {
    return new OAuthError("not_found", why, 404);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("error", code);
    if (description != null) json.put("error_description", description);
    return json;
  }

  /** This error as a throwable, for failing a Future. */
  public OAuthException exception() {
    return new OAuthException(this);
  }
}
