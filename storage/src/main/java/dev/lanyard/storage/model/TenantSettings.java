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
 * @param accessTokenLifetime lifetime of the token endpoint's access tokens, or null
 * @param refreshIdleLifetime how long a refresh token stays usable when not used, or null
 * @param refreshAbsoluteLifetime how long a refresh family lives at most from the login, however used, or null
 */
public record TenantSettings(String usernameFrom, String robotPrefix, Duration idTokenLifetime,
    Duration tokenDefaultTtl, Duration tokenMaxTtl, Duration accessTokenLifetime, Duration refreshIdleLifetime,
    Duration refreshAbsoluteLifetime) {
  public static final String USERNAME = "username";
  public static final String EMAIL = "email";

  public TenantSettings {
    usernameFrom = usernameFrom != null ? usernameFrom : USERNAME;
    robotPrefix = robotPrefix != null ? robotPrefix : "robot:";
  }

  /** Settings with the token endpoint's lifetimes left to the configured defaults. */
  public TenantSettings(String usernameFrom, String robotPrefix, Duration idTokenLifetime, Duration tokenDefaultTtl,
      Duration tokenMaxTtl) {
    this(usernameFrom, robotPrefix, idTokenLifetime, tokenDefaultTtl, tokenMaxTtl, null, null, null);
  }

  public static TenantSettings defaults() {
    return new TenantSettings(null, null, null, null, null, null, null, null);
  }
}
