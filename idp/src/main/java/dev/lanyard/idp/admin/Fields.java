package dev.lanyard.idp.admin;

import dev.lanyard.idp.k8s.KubernetesNames;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a JSON request body field by field, collecting every problem, so one 400 answer names all invalid
 * fields. Call {@link #check()} once reading is done.
 */
final class Fields {
  static final int MAX_TEXT = 256;
  static final String CONTROL_MESSAGE = "must not contain control characters";
  private final JsonObject body;
  private final List<Problem.FieldError> errors = new ArrayList<>();

  Fields(JsonObject body) {
    this.body = body;
  }

  boolean has(String field) {
    return body.containsKey(field);
  }

  void error(String field, String message) {
    errors.add(new Problem.FieldError(field, message));
  }

  boolean hasError(String field) {
    return errors.stream().anyMatch(e -> e.field().equals(field));
  }

  /** A required non-blank string at most MAX_TEXT long, matching {@code shape} when given. */
  String required(String field, Pattern shape, String shapeMessage) {
    Object v = body.getValue(field);
    if (v == null) {
      error(field, "required");
      return null;
    }
    return text(field, v, shape, shapeMessage);
  }

  /** An optional string (null when absent or JSON null). */
  String optional(String field, Pattern shape, String shapeMessage) {
    Object v = body.getValue(field);
    return v == null ? null : text(field, v, shape, shapeMessage);
  }

  private String text(String field, Object v, Pattern shape, String shapeMessage) {
    if (!(v instanceof String s)) {
      error(field, "must be a string");
      return null;
    }
    if (s.isBlank()) {
      error(field, "must not be blank");
      return null;
    }
    if (s.length() > MAX_TEXT) {
      error(field, "at most " + MAX_TEXT + " characters");
      return null;
    }
    if (hasControlCharacter(s)) {
      error(field, CONTROL_MESSAGE);
      return null;
    }
    if (shape != null && !shape.matcher(s).matches()) {
      error(field, shapeMessage);
      return null;
    }
    return s;
  }

  /**
   * {@code name} (already read) unless the kube-apiserver reserves it ({@link KubernetesNames}): for usernames,
   * group and robot names and email addresses, which TokenReview answers and ID tokens carry.
   */
  String notReserved(String field, String name) {
    if (!KubernetesNames.isReserved(name)) return name;
    error(field, KubernetesNames.RESERVED_MESSAGE);
    return null;
  }

  /** An optional boolean, or {@code fallback}. */
  Boolean bool(String field, Boolean fallback) {
    Object v = body.getValue(field);
    if (v == null) return fallback;
    if (v instanceof Boolean b) return b;
    error(field, "must be true or false");
    return fallback;
  }

  /** A required array of non-blank strings (may be empty), each checked against {@code shape}. */
  List<String> requiredStrings(String field, Pattern shape, String shapeMessage) {
    if (body.getValue(field) == null) {
      error(field, "required (an array of strings; [] for none)");
      return null;
    }
    return strings(field, shape, shapeMessage);
  }

  /** An optional array of non-blank strings (null when absent), each checked against {@code shape}. */
  List<String> strings(String field, Pattern shape, String shapeMessage) {
    Object v = body.getValue(field);
    if (v == null) return null;
    if (!(v instanceof JsonArray array)) {
      error(field, "must be an array of strings");
      return null;
    }
    if (array.size() > 100) {
      error(field, "at most 100 entries");
      return null;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String s = text(field + "[" + i + "]", array.getValue(i), shape, shapeMessage);
      if (s != null) out.add(s);
    }
    return out;
  }

  /** An optional nested object (null when absent). */
  JsonObject object(String field) {
    Object v = body.getValue(field);
    if (v == null) return null;
    if (v instanceof JsonObject o) return o;
    error(field, "must be an object");
    return null;
  }

  /**
   * Whether {@code s} holds a control character (U+0000-U+001F, U+007F-U+009F). None belongs in a name or a
   * one-line text, and PostgreSQL cannot even compare text with a NUL in it.
   */
  static boolean hasControlCharacter(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) return true;
    }
    return false;
  }

  /** Fails with a 400 problem listing every error so far. */
  void check() {
    if (!errors.isEmpty()) throw Problem.invalid(errors);
  }
}
