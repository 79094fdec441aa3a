package dev.lanyard.idp.k8s;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A {@code TokenReview} as the kube-apiserver POSTs it (authentication.k8s.io v1 or v1beta1):
 * {@code {"apiVersion":..., "kind":"TokenReview", "spec":{"token":..., "audiences":[...]}}}.
 *
 * @param apiVersion the version asked, which the answer must use
 * @param token the token to review; empty when none was sent, or one longer than {@link #MAX_TOKEN_LENGTH}
 * @param audiences the audiences the API server wants; empty when it sent none
 */
public record TokenReviewRequest(String apiVersion, String token, List<String> audiences) {
  public static final String V1 = "authentication.k8s.io/v1";
  public static final String V1BETA1 = "authentication.k8s.io/v1beta1";
  private static final Set<String> VERSIONS = Set.of(V1, V1BETA1);
  private static final JsonFactory JSON = new JsonFactory();

  /** Tokens longer than this are refused as malformed without looking further (the API server sends ours, ~50 chars). */
  static final int MAX_TOKEN_LENGTH = 8_192;

  /**
   * Parses; fails with {@link Malformed} (HTTP 400) saying what is wrong. Reads the body as a stream of
   * JSON tokens, keeping only apiVersion, kind and spec.token/audiences and skipping the rest (metadata,
   * status): no tree of maps is built for a body that arrives on every review.
   */
  public static TokenReviewRequest parse(Buffer body) {
    String apiVersion = null;
    String kind = null;
    Spec spec = null;
    try (JsonParser json = parser(body)) {
      if (json.nextToken() != JsonToken.START_OBJECT) throw new Malformed("the body must be a JSON object");
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        JsonToken value = json.nextToken();
        switch (field) {
          case "apiVersion" -> apiVersion = value == JsonToken.VALUE_STRING ? json.getText() : null;
          case "kind" -> kind = value == JsonToken.VALUE_STRING ? json.getText() : null;
          case "spec" -> spec = value == JsonToken.START_OBJECT ? spec(json) : null;
          default -> json.skipChildren();
        }
      }
      if (json.nextToken() != null) throw new Malformed("the body is not JSON");
    } catch (IOException e) {
      // Reading a byte array fails only on its content: bad JSON, or bytes that are no text in the encoding
      // Jackson guessed (a body starting 00 00 00 7B is read as UTF-32, and a truncated or out-of-range
      // character then throws CharConversionException, which is no JsonProcessingException).
      throw new Malformed("the body is not JSON");
    }
    if (apiVersion == null || !VERSIONS.contains(apiVersion)) {
      throw new Malformed("apiVersion must be " + V1 + " or " + V1BETA1);
    }
    if (!"TokenReview".equals(kind)) throw new Malformed("kind must be TokenReview");
    if (spec == null) throw new Malformed("spec is missing");
    return new TokenReviewRequest(apiVersion, spec.token, spec.audiences);
  }

  /** A parser over the body's own bytes when they are on the heap (they are, as vertx-web collects them). */
  private static JsonParser parser(Buffer body) throws IOException {
    if (body instanceof BufferInternal internal) {
      ByteBuf bytes = internal.getByteBuf();
      if (bytes.hasArray()) {
        return JSON.createParser(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes());
      }
    }
    return JSON.createParser(body.getBytes());
  }

  private record Spec(String token, List<String> audiences) {}

  /** The spec object, the parser standing on its START_OBJECT. */
  private static Spec spec(JsonParser json) throws IOException {
    String token = "";
    List<String> audiences = List.of();
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      JsonToken value = json.nextToken();
      switch (field) {
        case "token" -> {
          if (value == JsonToken.VALUE_NULL) {
            token = "";
          } else if (value != JsonToken.VALUE_STRING) {
            throw new Malformed("spec.token must be a string");
          } else {
            // One longer than any token of ours is read as empty, denied as malformed all the same, without
            // building a string of it (a 1 MB token would be 2 MB of garbage per review).
            token = json.getTextLength() > MAX_TOKEN_LENGTH ? "" : json.getText();
          }
        }
        case "audiences" -> {
          if (value == JsonToken.VALUE_NULL) {
            audiences = List.of();
          } else if (value != JsonToken.START_ARRAY) {
            throw new Malformed("spec.audiences must be an array of strings");
          } else {
            List<String> list = new ArrayList<>(1);
            while (json.nextToken() != JsonToken.END_ARRAY) {
              if (json.currentToken() != JsonToken.VALUE_STRING) {
                throw new Malformed("spec.audiences must be an array of strings");
              }
              list.add(json.getText());
            }
            audiences = List.copyOf(list);
          }
        }
        default -> json.skipChildren();
      }
    }
    return new Spec(token, audiences);
  }

  /** A body the API server would never send: answered with 400. */
  public static final class Malformed extends RuntimeException {
    public Malformed(String message) {
      super(message, null, false, false);
    }
  }
}
