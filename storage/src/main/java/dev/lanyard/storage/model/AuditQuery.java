package dev.lanyard.storage.model;

import java.time.Instant;

/**
 * A filter on audit events; null fields match anything. Results are newest first.
 *
 * @param tenantId events of this tenant only
 * @param actor exact actor
 * @param action exact action, or a prefix ending in '.' ({@code token.} matches {@code token.create})
 * @param from inclusive
 * @param to exclusive
 */
public record AuditQuery(String tenantId, String actor, String action, Instant from, Instant to) {
  public static AuditQuery all() {
    return new AuditQuery(null, null, null, null, null);
  }
}
