package dev.lanyard.idp.cli.remote;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Turns an admin API error answer (RFC 9457 problem JSON) into the message a person reads. */
final class Problems {
  private Problems() {}

  /**
   * @param tokenSent whether the request carried a token: a 401 then means the token was refused (not, say, a
   *     wrong password at {@code login}), and logging in again helps
   * @param retryAfter the {@code Retry-After} header, or null
   */
  static String describe(int status, String body, boolean tokenSent, String retryAfter) {
    JsonObject p = null;
    try {
      p = body == null || body.isBlank() ? null : new JsonObject(body);
    } catch (RuntimeException e) {
      // not problem JSON: fall through
    }
    if (p == null) return "the server answered HTTP " + status + retry(retryAfter);
    StringBuilder m = new StringBuilder(p.getString("title", "HTTP " + status));
    String detail = p.getString("detail");
    if (detail != null && !detail.isBlank()) m.append(": ").append(detail);
    JsonArray errors = p.getJsonArray("errors");
    if (errors != null) {
      for (Object o : errors) {
        if (o instanceof JsonObject e) {
          m.append(System.lineSeparator()).append("  ").append(e.getString("field", "?")).append(": ")
              .append(e.getString("message", "invalid"));
        }
      }
    }
    if (status == 401 && tokenSent) m.append(" (log in again with 'lanyard login', or pass a valid --token)");
    return m.append(retry(retryAfter)).toString();
  }

  /** Retry-After as a hint: seconds, or an HTTP date as given. */
  private static String retry(String retryAfter) {
    if (retryAfter == null || retryAfter.isBlank()) return "";
    String v = retryAfter.strip();
    return v.chars().allMatch(Character::isDigit) ? " (try again in " + v + " s)" : " (try again after " + v + ")";
  }
}
