package dev.lanyard.storage.model;

import java.util.Objects;

/**
 * An administrator's reach: a user (of any tenant) who may manage every tenant ({@link #GLOBAL}) or one.
 *
 * @param userTenantId the tenant the administrator user belongs to
 * @param scope {@link #GLOBAL}, or the id of the one tenant they manage
 */
public record AdminRole(String userTenantId, String userId, String scope) {
  public static final String GLOBAL = "*";

  public AdminRole {
    Objects.requireNonNull(userTenantId, "userTenantId");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(scope, "scope");
  }

  public boolean isGlobal() {
    return GLOBAL.equals(scope);
  }
}
