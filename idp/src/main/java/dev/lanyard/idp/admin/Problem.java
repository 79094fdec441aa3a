package dev.lanyard.idp.admin;

import dev.lanyard.idp.crypto.PasswordHasher;
import dev.lanyard.storage.AlreadyExistsException;
import dev.lanyard.storage.InvalidInputException;
import dev.lanyard.storage.NotFoundException;
import dev.lanyard.storage.StorageUnavailableException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An admin API error as an RFC 9457 problem ({@code application/problem+json}). The detail is safe to show
 * to the caller; it never carries SQL, stack traces or secrets. Carries no stack trace itself.
 */
final class Problem extends RuntimeException {
  /** One invalid request field, e.g. {@code redirectUris[0]}. */
  record FieldError(String field, String message) {}

  private static final Pattern FIELD_MESSAGE = Pattern.compile("([A-Za-z][A-Za-z0-9_.\\[\\]]{0,63}): (.+)", Pattern.DOTALL);

  /** The detail for {@link InvalidInputException}; the exception's own message quotes the database. */
  static final String INVALID_INPUT = "the request holds a value that cannot be stored, such as a control character";

  final int status;
  final List<FieldError> errors;
  /** Seconds for a {@code Retry-After} header, or 0 for none. */
  final long retryAfterSeconds;

  Problem(int status, String detail, List<FieldError> errors) {
    this(status, detail, errors, 0);
  }

  private Problem(int status, String detail, List<FieldError> errors, long retryAfterSeconds) {
    super(detail, null, false, false);
    this.status = status;
    this.errors = List.copyOf(errors);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  static Problem of(int status, String detail) {
    return new Problem(status, detail, List.of());
  }

  static Problem invalid(List<FieldError> errors) {
    return new Problem(400, "the request has invalid fields", errors);
  }

  static Problem invalid(String field, String message) {
    return invalid(List.of(new FieldError(field, message)));
  }

  static Problem unauthorized(String detail) {
    return of(401, detail);
  }

  static Problem forbidden() {
    return of(403, "your admin role does not cover this");
  }

  static Problem notFound(String detail) {
    return of(404, detail);
  }

  /** 429: try again in {@code retryAfterSeconds} (a throttled login). */
  static Problem tooManyRequests(String detail, long retryAfterSeconds) {
    return new Problem(429, detail, List.of(), retryAfterSeconds);
  }

  /**
   * The problem for any failure: Problems as they are; storage's not-found and already-exists as 404 and
   * 409; an IllegalArgumentException as 400 (its "field: message" text names the field); a value the database
   * cannot take (a NUL character the field checks did not see, e.g. in a path) as 400; a busy password hasher or
   * unreachable database as 503; anything else as 500 (the caller logs it).
   */
  static Problem from(Throwable failure) {
    if (failure instanceof Problem p) return p;
    if (failure instanceof NotFoundException) return notFound(failure.getMessage());
    if (failure instanceof AlreadyExistsException) return of(409, failure.getMessage());
    if (failure instanceof IllegalArgumentException) {
      String message = failure.getMessage() == null ? "invalid" : failure.getMessage();
      Matcher m = FIELD_MESSAGE.matcher(message);
      return m.matches() ? invalid(m.group(1), m.group(2)) : of(400, message);
    }
    if (failure instanceof InvalidInputException) return of(400, INVALID_INPUT);
    if (failure instanceof PasswordHasher.Busy) return of(503, "too many password operations; try again");
    if (failure instanceof StorageUnavailableException) return of(503, "the database is unavailable; try again");
    return of(500, "internal error");
  }

  String title() {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 413 -> "Content Too Large";
      case 429 -> "Too Many Requests";
      case 503 -> "Service Unavailable";
      default -> status >= 500 ? "Internal Server Error" : "Error";
    };
  }

  JsonObject toJson() {
    JsonObject body = new JsonObject().put("type", "about:blank").put("title", title()).put("status", status);
    if (getMessage() != null) body.put("detail", getMessage());
    if (!errors.isEmpty()) {
      JsonArray list = new JsonArray();
      errors.forEach(e -> list.add(new JsonObject().put("field", e.field()).put("message", e.message())));
      body.put("errors", list);
    }
    return body;
  }
}
