package dev.lanyard.storage.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One audited happening: a token minted or revoked, an admin change, a failed authentication.
 *
 * @param id random, unique
 * @param tenantId the tenant concerned, or null for process-wide events
 * @param actor who did it, e.g. {@code user:default/alice}, {@code robot:prod/ci}, {@code cli}, {@code anonymous}
 * @param action dotted verb, e.g. {@code token.create}, {@code token.revoke}, {@code user.update}, {@code login.failure}
 * @param target what it was done to, e.g. {@code token:prod/ab12cd}, may be null
 * @param outcome {@code success} or {@code failure}
 * @param source the client address, may be null
 * @param details a JSON object as text with anything else worth keeping (never secrets), may be null
 */
public record AuditEvent(String id, Instant at, String tenantId, String actor, String action, String target,
    String outcome, String source, String details) {
  public AuditEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(outcome, "outcome");
  }
}
