package dev.lanyard.discovery;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * One rendered JSON document, ready to send: the encoded body and its strong entity tag (RFC 9110 §8.8.3),
 * the quoted base64url SHA-256 of the body. Immutable; the body buffer is shared by every response and
 * never written to.
 */
final class CachedDocument {
  final Buffer body;
  /** The entity tag with its quotes, e.g. {@code "q1w2..."}. */
  final String etag;
  /** {@link #etag} as a pre-encoded header value. */
  final CharSequence etagHeader;

  private CachedDocument(Buffer body, String etag) {
    this.body = body;
    this.etag = etag;
    this.etagHeader = HttpHeaders.createOptimized(etag);
  }

  static CachedDocument of(JsonObject json) {
    Buffer body = json.toBuffer();
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-256").digest(body.getBytes());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    return new CachedDocument(body, '"' + Base64.getUrlEncoder().withoutPadding().encodeToString(digest) + '"');
  }
}
