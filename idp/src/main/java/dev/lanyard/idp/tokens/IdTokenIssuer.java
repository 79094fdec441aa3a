package dev.lanyard.idp.tokens;

import dev.lanyard.idp.k8s.KubernetesNames;
import dev.lanyard.idp.oauth.Scopes;
import dev.lanyard.storage.model.Robot;
import dev.lanyard.storage.model.TenantSettings;
import dev.lanyard.storage.model.User;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Builds and signs OpenID Connect ID tokens with the claims the kube-apiserver reads (DESIGN "Kubernetes
 * contracts"): {@code iss}, {@code sub}, {@code aud} (the client id), {@code azp}, {@code exp} (checked with no
 * leeway), {@code iat}, {@code at_hash} for the access token issued beside it (OIDC Core §3.1.3.6), and for a
 * user {@code auth_time}, {@code nonce} when the authorization request sent one, and per scope
 * {@code email}/{@code email_verified}, {@code preferred_username}/{@code name}, {@code groups}. The lifetime is
 * the tenant's (see {@link TokenLifetimes}). Names the kube-apiserver reserves ({@link KubernetesNames}) are left
 * out, whoever wrote the rows: such groups, and a {@code preferred_username} (the API server's username claim)
 * starting with {@code system:}, so the API server refuses the token for lack of a username.
 */
public final class IdTokenIssuer {
  private final TenantSigners signers;
  private final Clock clock;
  private final String publicUrl;
  private final TokenLifetimes lifetimes;

  public IdTokenIssuer(TenantSigners signers, Clock clock, String publicUrl, TokenLifetimes lifetimes) {
    this.signers = signers;
    this.clock = clock;
    this.publicUrl = publicUrl;
    this.lifetimes = lifetimes;
  }

  public String issuer(String tenantId) {
    return publicUrl + "/t/" + tenantId;
  }

  /**
   * Signs an ID token for {@code user}, issued to {@code clientId}.
   *
   * @param groups the user's current group names
   * @param authTime when the user last authenticated, epoch seconds
   * @param nonce the authorization request's nonce, or null (and always null on a refresh, OIDC Core §12.2)
   * @param accessToken the access token of the same response, for {@code at_hash}; null for none
   */
  public Future<String> issueForUser(String tenantId, TenantSettings settings, User user, List<String> groups,
      String clientId, Set<String> scopes, long authTime, String nonce, String accessToken) {
    JsonObject claims = common(tenantId, settings, user.id(), clientId, accessToken).put("auth_time", authTime);
    if (nonce != null) claims.put("nonce", nonce);
    if (scopes.contains(Scopes.EMAIL) && user.email() != null) {
      claims.put("email", user.email()).put("email_verified", user.emailVerified());
    }
    if (scopes.contains(Scopes.PROFILE)) {
      putUsername(claims, user.username());
      if (user.displayName() != null) claims.put("name", user.displayName());
    }
    if (scopes.contains(Scopes.GROUPS)) claims.put("groups", groupsClaim(groups));
    return signers.sign(tenantId, claims);
  }

  /**
   * Signs an ID token for a robot (client credentials, kubelogin's {@code --grant-type=client-credentials}):
   * {@code sub} is the robot's id, {@code preferred_username} the tenant's robot prefix plus its name, and
   * {@code groups} its groups, whatever the scopes: a robot has no personal data to withhold, and the
   * kube-apiserver needs both claims to authorize it.
   */
  public Future<String> issueForRobot(String tenantId, TenantSettings settings, Robot robot, List<String> groups,
      String clientId, String accessToken) {
    JsonObject claims = common(tenantId, settings, robot.id(), clientId, accessToken)
        .put("groups", groupsClaim(groups));
    putUsername(claims, settings.robotPrefix() + robot.name());
    return signers.sign(tenantId, claims);
  }

  private static void putUsername(JsonObject claims, String username) {
    if (!KubernetesNames.isReserved(username)) claims.put("preferred_username", username);
  }

  private static JsonArray groupsClaim(List<String> groups) {
    return new JsonArray(List.copyOf(KubernetesNames.withoutReserved(groups)));
  }

  private JsonObject common(String tenantId, TenantSettings settings, String sub, String clientId, String accessToken) {
    long now = clock.instant().getEpochSecond();
    JsonObject claims = new JsonObject()
        .put("iss", issuer(tenantId))
        .put("sub", sub)
        .put("aud", clientId)
        .put("azp", clientId)
        .put("exp", now + lifetimes.idToken(settings).toSeconds())
        .put("iat", now);
    if (accessToken != null) claims.put("at_hash", atHash(accessToken));
    return claims;
  }

  /**
   * OIDC Core §3.1.3.6: base64url of the left half of the access token's hash, with the hash of the ID token's
   * {@code alg} (SHA-256 for RS256).
   */
  static String atHash(String accessToken) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, digest.length / 2));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
