package dev.lanyard.idp.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;

/** {@code ?offset=&limit=} of a list request, and the envelope {@code {items, total, offset, limit}}. */
record Page(int offset, int limit) {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;

  /** Parses the query parameters; fails with a 400 problem naming the parameter. */
  static Page parse(String offset, String limit) {
    return new Page(number("offset", offset, 0, Integer.MAX_VALUE, 0),
        number("limit", limit, 1, MAX_LIMIT, DEFAULT_LIMIT));
  }

  private static int number(String name, String text, int min, int max, int fallback) {
    if (text == null || text.isEmpty()) return fallback;
    try {
      int n = Integer.parseInt(text);
      if (n >= min && n <= max) return n;
    } catch (NumberFormatException e) {
      // answered below
    }
    throw Problem.invalid(name, "an integer from " + min + " to " + max);
  }

  <T> JsonObject envelope(List<T> items, long total, Function<T, JsonObject> view) {
    JsonArray array = new JsonArray();
    items.forEach(i -> array.add(view.apply(i)));
    return new JsonObject().put("items", array).put("total", total).put("offset", offset).put("limit", limit);
  }

  /**
   * Whether {@code q} (the {@code ?q=} search text; null or blank matches everything) occurs, ignoring case, in
   * any of {@code texts}.
   */
  static boolean matches(String q, String... texts) {
    if (q == null || q.isBlank()) return true;
    String needle = q.strip().toLowerCase(java.util.Locale.ROOT);
    for (String t : texts) {
      if (t != null && t.toLowerCase(java.util.Locale.ROOT).contains(needle)) return true;
    }
    return false;
  }

  /** This page of a list held in memory (for repositories without paging). */
  <T> JsonObject slice(List<T> all, Function<T, JsonObject> view) {
    int from = Math.min(offset, all.size());
    int to = (int) Math.min((long) from + limit, all.size());
    return envelope(all.subList(from, to), all.size(), view);
  }
}
