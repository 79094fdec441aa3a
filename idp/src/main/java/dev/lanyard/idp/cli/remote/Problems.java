package dev.lanyard.idp.cli.remote;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Turns an admin API error answer (RFC 9457 problem JSON) into the message a person reads. */
final class Problems {
  private Problems() {}

  static String describe(int status, String body) {
    JsonObject p = null;
    try {
      p = body == null || body.isBlank() ? null : new JsonObject(body);
    } catch (RuntimeException e) {
      // not problem JSON: fall through
    }
    if (p == null) return "the server answered HTTP " + status;
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
    if (status == 401) m.append(" (log in again with 'lanyard login', or pass a valid --token)");
    return m.toString();
  }
}
