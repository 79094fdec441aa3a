package dev.lanyard.idp.k8s;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@code TokenReview} answers, in the apiVersion that was asked, as the bytes to send. Written
 * field by field with Jackson's streaming generator: this runs for every review on the event loop, and
 * building a {@code JsonObject} tree and serializing it through databind cost about twice as much. The bytes go
 * straight into the buffer that is sent (no intermediate array and copy): fewer bytes allocated per review
 * means fewer young collections, each of which stops every review in flight.
 */
public final class TokenReviewResponse {
  private static final JsonFactory JSON = new JsonFactory();
  /** An authenticated answer with a few groups, so that the buffer is rarely grown. */
  private static final int TYPICAL_SIZE = 512;

  private TokenReviewResponse() {}

  /**
   * An authenticated answer.
   *
   * @param audiences the audiences to echo (the intersection with the request's), or empty to omit
   *     {@code status.audiences} (the API server then assumes its own)
   */
  public static Buffer authenticated(String apiVersion, String username, String uid, List<String> groups,
      Map<String, List<String>> extra, List<String> audiences) {
    return write(apiVersion, json -> {
      json.writeBooleanField("authenticated", true);
      json.writeObjectFieldStart("user");
      json.writeStringField("username", username);
      json.writeStringField("uid", uid);
      writeArray(json, "groups", groups);
      json.writeObjectFieldStart("extra");
      for (Map.Entry<String, List<String>> e : extra.entrySet()) writeArray(json, e.getKey(), e.getValue());
      json.writeEndObject();
      json.writeEndObject();
      if (!audiences.isEmpty()) writeArray(json, "audiences", audiences);
    });
  }

  /**
   * A denial. Without {@code status.error} the API server caches it for its cache TTL. Not every denial is
   * final (a disabled principal may be enabled again, an email become verified): such a change takes effect
   * within that TTL, as a revocation does for a cached allow.
   */
  public static Buffer denied(String apiVersion) {
    return write(apiVersion, json -> json.writeBooleanField("authenticated", false));
  }

  private interface StatusWriter {
    void write(JsonGenerator json) throws IOException;
  }

  /** {@code {"apiVersion":..., "kind":"TokenReview", "status":{...}}}. */
  private static Buffer write(String apiVersion, StatusWriter status) {
    ByteBuf out = Unpooled.buffer(TYPICAL_SIZE);
    OutputStream stream = new ByteBufOutputStream(out); // typed so: it is a DataOutput too, which Jackson also takes
    try (JsonGenerator json = JSON.createGenerator(stream)) {
      json.writeStartObject();
      json.writeStringField("apiVersion", apiVersion);
      json.writeStringField("kind", "TokenReview");
      json.writeObjectFieldStart("status");
      status.write(json);
      json.writeEndObject();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not with an in-memory buffer
    }
    return BufferInternal.buffer(out);
  }

  private static void writeArray(JsonGenerator json, String name, List<String> values) throws IOException {
    json.writeArrayFieldStart(name);
    for (String v : values) json.writeString(v);
    json.writeEndArray();
  }
}
