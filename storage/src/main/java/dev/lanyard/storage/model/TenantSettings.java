package dev.lanyard.storage.model;

import java.time.Duration;

/**
 * A tenant's own choices; a null lifetime means "the configured default".
 *
 * @param usernameFrom {@code username} or {@code email}: what the TokenReview webhook answers as a user's name
 * @param robotPrefix prepended to a robot's name in TokenReview answers, e.g. {@code robot:}
 * @param idTokenLifetime ID token lifetime, or null
 * @param tokenDefaultTtl opaque token lifetime when none is asked for, or null
 * @param tokenMaxTtl longest opaque token lifetime that may be asked for, or null
 */
public record TenantSettings(String usernameFrom, String robotPrefix, Duration idTokenLifetime,
    Duration tokenDefaultTtl, Duration tokenMaxTtl) {
  public static final String USERNAME = "username";
  public static final String EMAIL = "email";

  public TenantSettings {
    usernameFrom = usernameFrom != null ? usernameFrom : USERNAME;
    robotPrefix = robotPrefix != null ? robotPrefix : "robot:";
  }

  public static TenantSettings defaults() {
    return new TenantSettings(null, null, null, null, null);
  }
}
