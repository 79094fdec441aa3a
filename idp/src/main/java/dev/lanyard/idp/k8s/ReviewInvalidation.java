package dev.lanyard.idp.k8s;

import dev.lanyard.storage.StoreSession;
import dev.lanyard.storage.model.PrincipalType;

/**
 * What writers call, inside their transaction, when they change something a TokenReview answer depends on,
 * so every Lanyard process drops its cached view once the change commits.
 */
public final class ReviewInvalidation {
  /** Change-feed topic of {@link #tenantChanged}, for other caches of tenant-owned data (a deleted tenant's clients). */
  public static final String TENANT_TOPIC = PrincipalDirectory.TENANT_TOPIC;

  private ReviewInvalidation() {}

  /** A user or robot changed: enabled, name, email, or group memberships. */
  public static void principalChanged(StoreSession session, String tenantId, PrincipalType type, String id) {
    session.notifyChange(PrincipalDirectory.PRINCIPAL_TOPIC, tenantId + "/" + type + "/" + id);
  }

  /** Something every principal of the tenant depends on changed: a group renamed or deleted, the settings. */
  public static void tenantChanged(StoreSession session, String tenantId) {
    session.notifyChange(PrincipalDirectory.TENANT_TOPIC, tenantId);
  }
}
