package dev.lanyard.idp.tokens;

import dev.lanyard.storage.model.PrincipalType;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * What an OAuth access token from the token endpoint (RFC 6749 §1.4) carries, sealed inside it by
 * {@link AccessTokenSeal}: nothing of it is stored. Good for userinfo and introspection, never for the TokenReview
 * webhook.
 *
 * @param id the token's id (introspection's {@code jti}; what a revocation records)
 * @param clientId the client it was issued to
 * @param clientUid that client's {@link dev.lanyard.storage.model.OAuthClient#uid uid}: a client deleted and
 *     created again under the same id has another, and the token is not its; empty in tokens sealed before
 *     clients had one, which are refused
 * @param principalType a user (every user grant) or a robot (client_credentials)
 * @param familyId the refresh family it was issued with, or null: ending the family ends the token
 * @param sessionId the browser login session it was issued in (authorization code, device code), or null:
 *     ending the session ends the token
 */
public record AccessToken(String tenantId, String id, String clientId, String clientUid, PrincipalType principalType,
    String principalId, Set<String> scopes, String familyId, String sessionId, Instant issuedAt, Instant expiresAt) {
  public AccessToken {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(clientUid, "clientUid");
    Objects.requireNonNull(principalType, "principalType");
    Objects.requireNonNull(principalId, "principalId");
    scopes = Set.copyOf(scopes);
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /** Whether it has not yet expired at {@code now}. */
  public boolean isUnexpiredAt(Instant now) {
    return now.isBefore(expiresAt);
  }
}
