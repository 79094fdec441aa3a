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

  private final LanyardConfig.Tokens defaults;

  public TokenLifetimes(LanyardConfig.Tokens defaults) {
    this.defaults = defaults;
  }

  public Duration idToken(TenantSettings s) {
    Duration d = s.idTokenLifetime() != null ? s.idTokenLifetime() : defaults.idTokenLifetime();
    return d.compareTo(MAX_ID_TOKEN) > 0 ? MAX_ID_TOKEN : d;
  }

  public Duration accessToken(TenantSettings s) {
    return s.accessTokenLifetime() != null ? s.accessTokenLifetime() : defaults.accessTokenLifetime();
  }

  public Duration refreshIdle(TenantSettings s) {
    return s.refreshIdleLifetime() != null ? s.refreshIdleLifetime() : defaults.refreshIdleLifetime();
  }

  public Duration refreshAbsolute(TenantSettings s) {
    return s.refreshAbsoluteLifetime() != null ? s.refreshAbsoluteLifetime() : defaults.refreshAbsoluteLifetime();
  }
}
