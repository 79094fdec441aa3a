package dev.lanyard.storage.model;

import java.time.Instant;
import java.util.Objects;

/** A named group of users; its name is what the ID token's {@code groups} claim carries. */
public record Group(String tenantId, String id, String name, Instant createdAt) {
  public Group {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
