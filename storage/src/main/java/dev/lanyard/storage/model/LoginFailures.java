package dev.lanyard.storage.model;

import java.time.Instant;
import java.util.Objects;

/**
 * Failed logins of one subject (an account or a source address) in a tenant, counted since {@code firstFailedAt}.
 *
 * @param kind {@link #ACCOUNT} or {@link #ADDRESS}
 * @param lockedUntil logins are refused until then, or null
 */
public record LoginFailures(String tenantId, String kind, String subject, int failures, Instant firstFailedAt,
    Instant lastFailedAt, Instant lockedUntil) {
  public static final String ACCOUNT = "account";
  public static final String ADDRESS = "address";

  public LoginFailures {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(firstFailedAt, "firstFailedAt");
    Objects.requireNonNull(lastFailedAt, "lastFailedAt");
  }
}
