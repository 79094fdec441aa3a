package dev.lanyard.idp.login;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The browser login session of a request, for pages that need a signed-in user (authorization, device
 * approval). A page without one sends the browser to {@link #loginUrl}, which comes back to {@code returnTo}
 * once the user has signed in.
 */
public interface LoginSessions {
  /** The request's live, unexpired login session in {@code tenantId} (its cookie), with an enabled user. */
  Future<Optional<SignedIn>> current(RoutingContext ctx, String tenantId);

  /**
   * The tenant's login page, which returns to {@code returnTo} (a path on this server, starting with
   * {@code /t/{tenantId}/}) after a successful sign-in.
   */
  static String loginUrl(String tenantId, String returnTo) {
    return "/t/" + tenantId + "/login?return_to=" + URLEncoder.encode(returnTo, StandardCharsets.UTF_8);
  }
}
