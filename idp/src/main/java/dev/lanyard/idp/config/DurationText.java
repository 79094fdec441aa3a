package dev.lanyard.idp.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as operators write them: {@code 90s}, {@code 10m}, {@code 12h}, {@code 30d}, or ISO-8601 {@code PT10M}. */
public final class DurationText {
  /**
   * The longest duration accepted, either sign. Far beyond any sensible lifetime, and short enough that
   * {@code Instant.plus}, {@code toNanos()} and PostgreSQL timestamps never overflow with it.
   */
  public static final Duration MAX = Duration.ofDays(36_500);

  private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

  private DurationText() {}

  /** Parses; fails with IllegalArgumentException naming the accepted forms, or the limit when longer than {@link #MAX}. */
  public static Duration parse(String text) {
    Duration d = parseAny(text);
    if (d == null || d.compareTo(MAX) > 0 || d.compareTo(MAX.negated()) < 0) {
      throw new IllegalArgumentException("'" + text + "' is too long: at most " + format(MAX) + " (100 years)");
    }
    return d;
  }

  /** The duration, or null when it has more seconds than a long holds. */
  private static Duration parseAny(String text) {
    String t = text.trim();
    Matcher m = SHORT.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(t);
    } catch (DateTimeParseException e) {
      // The cause is an ArithmeticException or NumberFormatException when the numbers were well formed but too big.
      if (e.getCause() != null) return null;
      throw new IllegalArgumentException("'" + text + "' is not a duration (write e.g. 90s, 10m, 12h, 30d)");
    }
  }

  /** The shortest exact form: {@code 10m} rather than {@code 600s}. */
  public static String format(Duration d) {
    long s = d.getSeconds();
    if (d.getNano() != 0) return d.toMillis() + "ms";
    if (s != 0 && s % 86_400 == 0) return s / 86_400 + "d";
    if (s != 0 && s % 3_600 == 0) return s / 3_600 + "h";
    if (s != 0 && s % 60 == 0) return s / 60 + "m";
    return s + "s";
  }
}
