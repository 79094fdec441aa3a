package dev.lanyard.storage.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An authorization code (RFC 6749 §4.1.2), stored only as the SHA-256 of the code handed to the client. Single
 * use: {@code usedAt} is set by the first redemption.
 *
 * @param redirectUri the redirect URI of the authorization request, exactly as sent (the token request must repeat it)
 * @param sessionId the login session the code came from, or null
 * @param scopes the granted scopes, in request order
 * @param nonce the authorization request's nonce, or null
 * @param codeChallenge the PKCE challenge (RFC 7636), or null
 * @param codeChallengeMethod {@code S256} when there is a challenge, else null
 * @param authTime when the user authenticated (the ID token's auth_time)
 */
public record AuthorizationCode(String tenantId, byte[] codeHash, String clientId, String redirectUri, String userId,
    String sessionId, List<String> scopes, String nonce, String codeChallenge, String codeChallengeMethod,
    Instant authTime, Instant createdAt, Instant expiresAt, Instant usedAt) {
  public AuthorizationCode {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(codeHash, "codeHash");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(redirectUri, "redirectUri");
    Objects.requireNonNull(userId, "userId");
    scopes = List.copyOf(scopes);
    Objects.requireNonNull(authTime, "authTime");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AuthorizationCode c && tenantId.equals(c.tenantId)
        && java.util.Arrays.equals(codeHash, c.codeHash) && clientId.equals(c.clientId)
        && redirectUri.equals(c.redirectUri) && userId.equals(c.userId) && Objects.equals(sessionId, c.sessionId)
        && scopes.equals(c.scopes) && Objects.equals(nonce, c.nonce) && Objects.equals(codeChallenge, c.codeChallenge)
        && Objects.equals(codeChallengeMethod, c.codeChallengeMethod) && authTime.equals(c.authTime)
        && createdAt.equals(c.createdAt) && expiresAt.equals(c.expiresAt) && Objects.equals(usedAt, c.usedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tenantId, java.util.Arrays.hashCode(codeHash));
  }

  @Override
  public String toString() {
    return "AuthorizationCode[tenantId=" + tenantId + ", clientId=" + clientId + ", userId=" + userId
        + ", expiresAt=" + expiresAt + ", usedAt=" + usedAt + "]";
  }
}
