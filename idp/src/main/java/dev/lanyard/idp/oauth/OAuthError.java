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

  public static OAuthError invalidScope(String why) {
    return new OAuthError("invalid_scope", why, 400);
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
