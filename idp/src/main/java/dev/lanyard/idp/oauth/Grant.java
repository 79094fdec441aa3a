package dev.lanyard.idp.oauth;

import dev.lanyard.storage.model.OAuthClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** One grant type of the token endpoint. Never touches the response: returns the token JSON or fails with an OAuthException. */
public interface Grant {
  /** The {@code grant_type} value this grant answers. */
  String grantType();

  /**
   * Exchanges the request for tokens; the client is already authenticated and allowed this grant.
   *
   * @param source the caller's address for the audit trail, or null
   */
  Future<JsonObject> exchange(String tenantId, OAuthClient client, TokenRequest request, String source);
}
