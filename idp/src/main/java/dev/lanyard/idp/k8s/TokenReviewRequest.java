package dev.lanyard.idp.k8s;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A {@code TokenReview} as the kube-apiserver POSTs it (authentication.k8s.io v1 or v1beta1):
 * {@code {"apiVersion":..., "kind":"TokenReview", "spec":{"token":..., "audiences":[...]}}}.
 *
 * @param apiVersion the version asked, which the answer must use
 * @param audiences the audiences the API server wants; empty when it sent none
 */
public record TokenReviewRequest(String apiVersion, String token, List<String> audiences) {
  public static final String V1 = "authentication.k8s.io/v1";
  public static final String V1BETA1 = "authentication.k8s.io/v1beta1";
  private static final Set<String> VERSIONS = Set.of(V1, V1BETA1);

  /** Tokens longer than this are refused as malformed without looking further (the API server sends ours, ~50 chars). */
  static final int MAX_TOKEN_LENGTH = 8_192;

  /** Parses; fails with {@link Malformed} (HTTP 400) saying what is wrong. */
  public static TokenReviewRequest parse(Buffer body) {
    JsonObject json;
    try {
      Object parsed = io.vertx.core.json.Json.decodeValue(body);
      if (!(parsed instanceof JsonObject o)) throw new Malformed("the body must be a JSON object");
      json = o;
    } catch (DecodeException e) {
      throw new Malformed("the body is not JSON");
    }
    String apiVersion = string(json, "apiVersion");
    if (apiVersion == null || !VERSIONS.contains(apiVersion)) {
      throw new Malformed("apiVersion must be " + V1 + " or " + V1BETA1);
    }
    if (!"TokenReview".equals(string(json, "kind"))) throw new Malformed("kind must be TokenReview");
    if (!(json.getValue("spec") instanceof JsonObject spec)) throw new Malformed("spec is missing");
    Object token = spec.getValue("token");
    if (token != null && !(token instanceof String)) throw new Malformed("spec.token must be a string");
    List<String> audiences = new ArrayList<>();
    Object aud = spec.getValue("audiences");
    if (aud != null) {
      if (!(aud instanceof JsonArray array)) throw new Malformed("spec.audiences must be an array of strings");
      for (Object a : array) {
        if (!(a instanceof String s)) throw new Malformed("spec.audiences must be an array of strings");
        audiences.add(s);
      }
    }
    return new TokenReviewRequest(apiVersion, token == null ? "" : (String) token, List.copyOf(audiences));
  }

  private static String string(JsonObject json, String key) {
    return json.getValue(key) instanceof String s ? s : null;
  }

  /** A body the API server would never send: answered with 400. */
  public static final class Malformed extends RuntimeException {
    public Malformed(String message) {
      super(message, null, false, false);
    }
  }
}
