package dev.lanyard.storage.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A non-human principal of a tenant (a CI pipeline, an operator script). Its username at the kube-apiserver
 * is a configurable prefix plus {@code name}; its groups are memberships like a user's.
 *
 * @param id random, stable, never reused: the TokenReview {@code uid}
 * @param name unique in the tenant
 * @param description may be null
 */
public record Robot(String tenantId, String id, String name, String description, boolean enabled,
    Instant createdAt, Instant updatedAt) {
  public Robot {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}
