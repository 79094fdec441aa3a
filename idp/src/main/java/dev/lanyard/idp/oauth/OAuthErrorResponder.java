package dev.lanyard.idp.oauth;

import dev.lanyard.idp.crypto.PasswordHasher;
import dev.lanyard.storage.InvalidInputException;
import dev.lanyard.storage.StorageUnavailableException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of OAuth error responses (token, introspection, revocation). Expected errors become their
 * RFC 6749 JSON; anything unexpected is logged with its stack trace and answered as {@code server_error}.
 */
public final class OAuthErrorResponder {
  private static final Logger log = LoggerFactory.getLogger(OAuthErrorResponder.class);

  private OAuthErrorResponder() {}

  public static void respond(RoutingContext ctx, Throwable failure) {
    OAuthError error = classify(failure);
    if (error.status() == 500) {
      log.error("{} {} failed", ctx.request().method(), ctx.request().path(), failure);
    }
    HttpServerResponse res = ctx.response();
    if (res.ended()) return;
    res.setStatusCode(error.status())
        .putHeader("Content-Type", "application/json;charset=UTF-8")
        .putHeader("Cache-Control", "no-store")
        .putHeader("Pragma", "no-cache");
    if (error.status() == 401) res.putHeader("WWW-Authenticate", "Basic realm=\"lanyard\"");
    if (error.status() == 503) res.putHeader("Retry-After", "1");
    res.end(error.toJson().encode());
  }

  static OAuthError classify(Throwable failure) {
    if (failure instanceof OAuthException oe) return oe.error();
    if (failure instanceof PasswordHasher.Busy) {
      return OAuthError.temporarilyUnavailable("too many logins at once, try again");
    }
    if (failure instanceof StorageUnavailableException) {
      return OAuthError.temporarilyUnavailable("database unavailable, try again");
    }
    if (failure instanceof InvalidInputException) { // e.g. a NUL character in a username or client_id
      return OAuthError.invalidRequest("a parameter holds a value that cannot be stored, such as a control character");
    }
    return OAuthError.serverError();
  }
}
