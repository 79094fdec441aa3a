package dev.lanyard.idp.k8s;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/** Builds the {@code TokenReview} answers, in the apiVersion that was asked. */
public final class TokenReviewResponse {
  private TokenReviewResponse() {}

  /**
   * An authenticated answer.
   *
   * @param audiences the audiences to echo (the intersection with the request's), or empty to omit
   *     {@code status.audiences} (the API server then assumes its own)
   */
  public static JsonObject authenticated(String apiVersion, String username, String uid, List<String> groups,
      Map<String, List<String>> extra, List<String> audiences) {
    JsonObject user = new JsonObject().put("username", username).put("uid", uid).put("groups", new JsonArray(groups));
    JsonObject extras = new JsonObject();
    extra.forEach((k, v) -> extras.put(k, new JsonArray(v)));
    user.put("extra", extras);
    JsonObject status = new JsonObject().put("authenticated", true).put("user", user);
    if (!audiences.isEmpty()) status.put("audiences", new JsonArray(audiences));
    return envelope(apiVersion, status);
  }

  /**
   * A denial. Without {@code status.error} the API server caches it for its cache TTL: fine, because every
   * denial Lanyard gives is final (an unknown, expired or revoked token never becomes valid).
   */
  public static JsonObject denied(String apiVersion) {
    return envelope(apiVersion, new JsonObject().put("authenticated", false));
  }

  private static JsonObject envelope(String apiVersion, JsonObject status) {
    return new JsonObject().put("apiVersion", apiVersion).put("kind", "TokenReview").put("status", status);
  }
}
