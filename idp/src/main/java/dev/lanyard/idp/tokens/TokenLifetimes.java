package dev.lanyard.idp.tokens;

import dev.lanyard.idp.config.DurationText;
import dev.lanyard.idp.config.LanyardConfig;
import dev.lanyard.storage.model.TenantSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

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

  /** A lifetime's upper bound and the reason an operator is told. */
  private record Bound(Duration max, String why) {}

  /** By name: the same in the configuration ({@code tokens.NAME}) and in a tenant's settings. */
  private static final Map<String, Bound> BOUNDS = Map.of(
      "idTokenLifetime", new Bound(MAX_ID_TOKEN, "the kube-apiserver cannot revoke an ID token"),
      "accessTokenLifetime", new Bound(MAX_ACCESS_TOKEN, "longer sessions use refresh tokens"),
      "refreshIdleLifetime", new Bound(MAX_REFRESH, "sign in again at least yearly"),
      "refreshAbsoluteLifetime", new Bound(MAX_REFRESH, "sign in again at least yearly"));

  /** What is wrong with {@code value} as lifetime {@code name} ("at most 1d (why)"), if it is over its bound. */
  public static Optional<String> tooLong(String name, Duration value) {
    Bound b = BOUNDS.get(name);
    if (b == null || value.compareTo(b.max()) <= 0) return Optional.empty();
    return Optional.of("at most " + DurationText.format(b.max()) + " (" + b.why() + ")");
  }

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
