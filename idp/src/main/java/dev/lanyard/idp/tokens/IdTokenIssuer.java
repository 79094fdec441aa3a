package dev.lanyard.idp.tokens;

import dev.lanyard.idp.oauth.Scopes;
import dev.lanyard.storage.model.User;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Builds and signs OpenID Connect ID tokens with the claims the kube-apiserver reads (DESIGN "Kubernetes
 * contracts"): {@code iss}, {@code sub}, {@code aud}, {@code exp} (checked with no leeway), {@code iat}, and
 * per scope {@code email}/{@code email_verified}, {@code preferred_username}/{@code name}, {@code groups}.
 */
public final class IdTokenIssuer {
  private final TenantSigners signers;
  private final Clock clock;
  private final String publicUrl;
  private final Duration lifetime;

  public IdTokenIssuer(TenantSigners signers, Clock clock, String publicUrl, Duration lifetime) {
    this.signers = signers;
    this.clock = clock;
    this.publicUrl = publicUrl;
    this.lifetime = lifetime;
  }

  public Duration lifetime() {
    return lifetime;
  }

  public String issuer(String tenantId) {
    return publicUrl + "/t/" + tenantId;
  }

  /**
   * Signs an ID token for {@code user}, issued to {@code clientId}.
   *
   * @param authTime when the user last authenticated, epoch seconds
   * @param nonce the authorization request's nonce, or null
   */
  public Future<String> issue(String tenantId, User user, List<String> groups, String clientId, Set<String> scopes,
      long authTime, String nonce) {
    long now = clock.instant().getEpochSecond();
    JsonObject claims = new JsonObject()
        .put("iss", issuer(tenantId))
        .put("sub", user.id())
        .put("aud", clientId)
        .put("azp", clientId)
        .put("exp", now + lifetime.toSeconds())
        .put("iat", now)
        .put("auth_time", authTime);
    if (nonce != null) claims.put("nonce", nonce);
    if (scopes.contains(Scopes.EMAIL) && user.email() != null) {
      claims.put("email", user.email()).put("email_verified", user.emailVerified());
    }
    if (scopes.contains(Scopes.PROFILE)) {
      claims.put("preferred_username", user.username());
      if (user.displayName() != null) claims.put("name", user.displayName());
    }
    if (scopes.contains(Scopes.GROUPS)) claims.put("groups", new JsonArray(List.copyOf(groups)));
    return signers.sign(tenantId, claims);
  }
}
