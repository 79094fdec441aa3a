package dev.lanyard.storage.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A tenant: one OIDC issuer ({@code {publicUrl}/t/{id}}), with its own users, groups, clients and keys.
 *
 * @param id lower-case letters, digits and '-', at most 63 characters; part of the issuer URL, never changes
 */
public record Tenant(String id, String displayName, Instant createdAt, TenantSettings settings) {
  public Tenant {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(createdAt, "createdAt");
    settings = settings != null ? settings : TenantSettings.defaults();
  }

  /** A tenant with default settings. */
  public Tenant(String id, String displayName, Instant createdAt) {
    this(id, displayName, createdAt, TenantSettings.defaults());
  }
}
