package dev.lanyard.idp.admin;

import dev.lanyard.idp.config.DurationText;
import dev.lanyard.idp.k8s.KubernetesNames;
import dev.lanyard.idp.tokens.TokenLifetimes;
import dev.lanyard.storage.model.TenantSettings;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The rules for a tenant's settings as an operator sends them: the admin API's {@code settings} object and an import
 * file's {@code settings:}. Durations are text ({@code 10m}, {@code 30d}); a key sent as null goes back to the
 * configured default; a key not sent keeps the base value; an unknown key is an error.
 */
public final class TenantSettingsInput {
  /** Every key a settings object may have. */
  public static final Set<String> KEYS = Set.of("usernameFrom", "robotPrefix", "idTokenLifetime", "tokenDefaultTtl",
      "tokenMaxTtl", "accessTokenLifetime", "refreshIdleLifetime", "refreshAbsoluteLifetime");
  private static final Pattern USERNAME_FROM = Pattern.compile("username|email");
  private static final Pattern ROBOT_PREFIX = Pattern.compile("[^\\s]{1,32}");

  /** A refused field of the settings object, named without a prefix ({@code tokenMaxTtl}). */
  public record FieldError(String field, String message) {}

  /** The merged settings, meaningful only when {@code errors} is empty. */
  public record Result(TenantSettings settings, List<FieldError> errors) {}

  private TenantSettingsInput() {}

  /**
   * {@code sent} merged onto {@code base}.
   *
   * @param opaqueMaxTtl the configured {@code tokens.opaqueMaxTtl}, which the tenant's opaque token lifetimes may not
   *     exceed, or null where the configuration is not at hand (minting caps them then)
   */
  public static Result merge(JsonObject sent, TenantSettings base, Duration opaqueMaxTtl) {
    Fields s = new Fields(sent);
    for (String key : sent.fieldNames()) {
      if (!KEYS.contains(key)) s.error(key, "unknown setting (known: " + String.join(", ", new TreeSet<>(KEYS)) + ")");
    }
    String usernameFrom = s.optional("usernameFrom", USERNAME_FROM, "'username' or 'email'");
    String robotPrefix = sent.containsKey("robotPrefix") && "".equals(sent.getValue("robotPrefix")) ? ""
        : s.optional("robotPrefix", ROBOT_PREFIX, "at most 32 characters, no spaces");
    // Robots are named prefix + name in TokenReview answers and ID tokens.
    if (KubernetesNames.isReservedPrefix(robotPrefix)) {
      s.error("robotPrefix", KubernetesNames.RESERVED_MESSAGE + " (nor may a prefix be its beginning)");
    }
    Duration idToken = duration(s, sent, "idTokenLifetime", base.idTokenLifetime());
    Duration defTtl = duration(s, sent, "tokenDefaultTtl", base.tokenDefaultTtl());
    Duration maxTtl = duration(s, sent, "tokenMaxTtl", base.tokenMaxTtl());
    if (defTtl != null && maxTtl != null && defTtl.compareTo(maxTtl) > 0) {
      s.error("tokenDefaultTtl", "must not exceed tokenMaxTtl");
    }
    if (opaqueMaxTtl != null) {
      Function<Duration, Optional<String>> overConfigured = d -> d.compareTo(opaqueMaxTtl) <= 0 ? Optional.empty()
          : Optional.of("at most " + DurationText.format(opaqueMaxTtl) + " (the configured tokens.opaqueMaxTtl)");
      checkSent(s, sent, "tokenDefaultTtl", defTtl, overConfigured);
      checkSent(s, sent, "tokenMaxTtl", maxTtl, overConfigured);
    }
    lifetimeSent(s, sent, "idTokenLifetime", idToken);
    Duration access = duration(s, sent, "accessTokenLifetime", base.accessTokenLifetime());
    Duration refreshIdle = duration(s, sent, "refreshIdleLifetime", base.refreshIdleLifetime());
    Duration refreshAbsolute = duration(s, sent, "refreshAbsoluteLifetime", base.refreshAbsoluteLifetime());
    lifetimeSent(s, sent, "accessTokenLifetime", access);
    lifetimeSent(s, sent, "refreshIdleLifetime", refreshIdle);
    lifetimeSent(s, sent, "refreshAbsoluteLifetime", refreshAbsolute);
    List<FieldError> errors = List.of();
    try {
      s.check();
    } catch (Problem p) {
      errors = p.errors.stream().map(e -> new FieldError(e.field(), e.message())).toList();
    }
    TenantSettings merged = new TenantSettings(usernameFrom != null ? usernameFrom : base.usernameFrom(),
        robotPrefix != null ? robotPrefix : base.robotPrefix(), idToken, defTtl, maxTtl, access, refreshIdle,
        refreshAbsolute);
    return new Result(merged, errors);
  }

  /**
   * A lifetime sent in this request must pass {@code problem} (empty when within its bound). One stored before the
   * bound was lowered (or existed) is left alone, since TokenService and TokenLifetimes cap it when minting, so
   * unrelated updates still work.
   */
  private static void checkSent(Fields s, JsonObject o, String field, Duration value,
      Function<Duration, Optional<String>> problem) {
    if (o.containsKey(field) && value != null && !s.hasError(field)) problem.apply(value).ifPresent(m -> s.error(field, m));
  }

  /** {@link #checkSent} against the bound the configuration has too ({@link TokenLifetimes#tooLong}). */
  private static void lifetimeSent(Fields s, JsonObject o, String field, Duration value) {
    checkSent(s, o, field, value, d -> TokenLifetimes.tooLong(field, d));
  }

  private static Duration duration(Fields s, JsonObject o, String field, Duration fallback) {
    if (!o.containsKey(field)) return fallback;
    String text = s.optional(field, null, null);
    if (text == null) return null; // explicit null: back to the configured default
    try {
      Duration d = DurationText.parse(text);
      if (d.isZero() || d.isNegative()) s.error(field, "must be positive");
      return d;
    } catch (IllegalArgumentException e) {
      s.error(field, e.getMessage());
      return fallback;
    }
  }

  /** The settings as an operator would write them: only what differs from the defaults, durations as text. */
  public static JsonObject describe(TenantSettings settings) {
    TenantSettings defaults = TenantSettings.defaults();
    JsonObject o = new JsonObject();
    if (!settings.usernameFrom().equals(defaults.usernameFrom())) o.put("usernameFrom", settings.usernameFrom());
    if (!settings.robotPrefix().equals(defaults.robotPrefix())) o.put("robotPrefix", settings.robotPrefix());
    putDuration(o, "idTokenLifetime", settings.idTokenLifetime());
    putDuration(o, "tokenDefaultTtl", settings.tokenDefaultTtl());
    putDuration(o, "tokenMaxTtl", settings.tokenMaxTtl());
    putDuration(o, "accessTokenLifetime", settings.accessTokenLifetime());
    putDuration(o, "refreshIdleLifetime", settings.refreshIdleLifetime());
    putDuration(o, "refreshAbsoluteLifetime", settings.refreshAbsoluteLifetime());
    return o;
  }

  private static void putDuration(JsonObject o, String key, Duration d) {
    if (d != null) o.put(key, DurationText.format(d));
  }
}
