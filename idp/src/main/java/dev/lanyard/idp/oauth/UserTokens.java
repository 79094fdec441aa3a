package dev.lanyard.idp.oauth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Mints the token response (RFC 6749 §5.1, OIDC Core §3.1.3.3) for a user's authorization: every grant that ends
 * with a user (authorization code, device code, password, refresh) answers through this one place, so the
 * tokens look the same whichever way the user came in.
 */
public interface UserTokens {
  /**
   * The JSON body of a successful token response: {@code access_token}, {@code token_type}, {@code expires_in},
   * {@code scope}, {@code id_token} when {@code openid} was granted, and {@code refresh_token} when
   * {@code offline_access} was granted and the client may use the refresh_token grant.
   */
  Future<JsonObject> issue(UserAuthorization authorization);
}
