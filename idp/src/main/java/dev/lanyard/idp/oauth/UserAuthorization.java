package dev.lanyard.idp.oauth;

import dev.lanyard.storage.model.OAuthClient;
import dev.lanyard.storage.model.User;
import java.util.Objects;
import java.util.Set;

/**
 * What a user granted a client, however it was obtained (authorization code, device code, password): the input
 * to {@link UserTokens#issue}.
 *
 * @param scopes the granted scopes (only those Lanyard knows)
 * @param authTime when the user last authenticated, epoch seconds (the ID token's {@code auth_time})
 * @param nonce the authorization request's nonce, or null
 * @param sessionId the login session this came from, or null (password grant)
 */
public record UserAuthorization(String tenantId, OAuthClient client, User user, Set<String> scopes, long authTime,
    String nonce, String sessionId) {
  public UserAuthorization {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(user, "user");
    scopes = Set.copyOf(scopes);
  }
}
