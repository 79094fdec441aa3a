package dev.lanyard.idp.tokens;

import dev.lanyard.idp.config.LanyardConfig;
import dev.lanyard.storage.model.TenantSettings;
import java.time.Duration;

/** The lifetimes of the token endpoint's tokens: a tenant's own setting, else the configured default. */
public final class TokenLifetimes {
  /**
   * Longest ID token lifetime anywhere (config and tenant settings are validated against it); retired signing
   * keys stay published this long, so every token they signed still verifies.
   */
  public static final Duration MAX_ID_TOKEN = Duration.ofHours(24);
  /** Longest access token lifetime: a bearer credential for userinfo; longer sessions refresh. */
  public static final Duration MAX_ACCESS_TOKEN = Duration.ofHours(24);
  /** Longest refresh token lifetime, idle or absolute: at least a yearly sign-in. */
  public static final Duration MAX_REFRESH = Duration.ofDays(365);

  private final LanyardConfig.Tokens defaults;

  public TokenLifetimes(LanyardConfig.Tokens defaults) {
    this.defaults = defaults;
  }

  // Each is capped: a tenant's value stored before its bound existed must not overflow Instant.plus.

  public Duration idToken(TenantSettings s) {
    return capped(s.idTokenLifetime(), defaults.idTokenLifetime(), MAX_ID_TOKEN);
  }

  public Duration accessToken(TenantSettings s) {
    return capped(s.accessTokenLifetime(), defaults.accessTokenLifetime(), MAX_ACCESS_TOKEN);
  }

  public Duration refreshIdle(TenantSettings s) {
    return capped(s.refreshIdleLifetime(), defaults.refreshIdleLifetime(), MAX_REFRESH);
  }

  public Duration refreshAbsolute(TenantSettings s) {
    return capped(s.refreshAbsoluteLifetime(), defaults.refreshAbsoluteLifetime(), MAX_REFRESH);
  }

  private static Duration capped(Duration own, Duration configured, Duration max) {
    Duration d = own != null ? own : configured;
    return d.compareTo(max) > 0 ? max : d;
  }
}
