package dev.lanyard.idp.oauth;

import dev.lanyard.idp.tokens.IdTokenIssuer;
import dev.lanyard.storage.Storage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The {@link UserTokens} of this build: an ID token with the user's current groups and an access token.
 * (Access tokens are not yet stored, so nothing accepts them; refresh tokens come with the refresh grant.)
 */
public final class UserTokenMinter implements UserTokens {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Storage storage;
  private final IdTokenIssuer idTokens;

  public UserTokenMinter(Storage storage, IdTokenIssuer idTokens) {
    this.storage = storage;
    this.idTokens = idTokens;
  }

  @Override
  public Future<JsonObject> issue(UserAuthorization a) {
    JsonObject body = new JsonObject()
        .put("access_token", opaqueAccessToken())
        .put("token_type", "Bearer")
        .put("expires_in", idTokens.lifetime().toSeconds())
        .put("scope", String.join(" ", a.scopes()));
    if (!a.scopes().contains(Scopes.OPENID)) return Future.succeededFuture(body);
    return storage.transaction(s -> s.groups().groupNamesOfUser(a.tenantId(), a.user().id()))
        .compose(groups -> idTokens.issue(a.tenantId(), a.user(), groups, a.client().id(), a.scopes(), a.authTime(),
            a.nonce()))
        .map(idToken -> body.put("id_token", idToken));
  }

  private static String opaqueAccessToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return "lyat_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
