package dev.lanyard.storage.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A registered OAuth 2 client of a tenant.
 *
 * @param secretHash argon2id hash of the client secret; null for a public client (PKCE, no secret)
 * @param redirectUris exact redirect URIs, in registration order
 * @param grantTypes OAuth grant type names this client may use, e.g. {@code password}
 * @param uid this row's own identity, set at creation and never changed or reused: a client deleted and created
 *     again under the same id has a new one, so what was issued to the old client (access tokens carry it) is
 *     not the new one's
 */
public record OAuthClient(
    String tenantId,
    String id,
    String displayName,
    String secretHash,
    List<String> redirectUris,
    Set<String> grantTypes,
    Instant createdAt,
    String uid) {
  public OAuthClient {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(displayName, "displayName");
    redirectUris = List.copyOf(redirectUris);
    grantTypes = Set.copyOf(grantTypes);
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(uid, "uid");
  }

  public boolean isPublic() {
    return secretHash == null;
  }

  public boolean allowsGrant(String grantType) {
    return grantTypes.contains(grantType);
  }
}
