package dev.lanyard.idp.admin;

import dev.lanyard.storage.Storage;
import dev.lanyard.storage.TimeOrderedIds;
import dev.lanyard.storage.model.OAuthClient;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The web console's OAuth client: public, authorization code + PKCE only, redirecting to the console's callback
 * page at this server's public URL; the console's own page is registered too, as where sign-out comes back to
 * after the tenant's logout (which takes only registered redirect URIs). Kept in the administrators' tenant and
 * brought up to date at every start, because the public URL can change between starts.
 */
public final class ConsoleClient {
  public static final String ID = ConsoleEndpoint.CLIENT_ID;

  private ConsoleClient() {}

  /** Where the console receives its authorization code, for {@code publicUrl}. */
  public static String redirectUri(String publicUrl) {
    return publicUrl + ConsoleEndpoint.REDIRECT_PATH;
  }

  /** Where the tenant's logout sends the browser back to after the console's sign-out. */
  public static String postLogoutRedirectUri(String publicUrl) {
    return publicUrl + "/admin/";
  }

  /** Creates or corrects the console client in {@code tenantId}; a no-op (one read) when it is as it should be. */
  public static void ensure(Storage storage, String tenantId, String publicUrl, Clock clock) {
    List<String> redirectUris = List.of(redirectUri(publicUrl), postLogoutRedirectUri(publicUrl));
    Set<String> grants = Set.of("authorization_code");
    storage.transactionBlocking(s -> {
      if (s.tenants().find(tenantId).isEmpty()) return null;
      Optional<OAuthClient> found = s.clients().find(tenantId, ID);
      if (found.isEmpty()) {
        s.clients().create(new OAuthClient(tenantId, ID, "Lanyard web console", null, redirectUris, grants,
            clock.instant(), TimeOrderedIds.next()));
      } else if (!found.get().redirectUris().equals(redirectUris) || !found.get().grantTypes().equals(grants)
          || !found.get().isPublic()) {
        OAuthClient c = found.get();
        s.clients().update(new OAuthClient(tenantId, ID, c.displayName(), null, redirectUris, grants, c.createdAt(),
            c.uid()));
      }
      return null;
    });
  }
}
