package dev.lanyard.idp.tokens;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;

/**
 * Signs JWTs (RFC 7515 compact serialization) with one RSA key as RS256, the only algorithm the kube-apiserver
 * accepts in flag mode.
 *
 * <p>Lean on purpose, since it runs on every token response: the protected header is encoded once per key, and
 * each thread keeps its own initialised {@link Signature} (which is not thread-safe) instead of building a JWT
 * library's object graph per token. What remains is the RSA private-key operation itself.
 */
public final class JwsSigner {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final String kid;
  private final byte[] encodedHeader;
  private final ThreadLocal<Signature> signatures;

  /** @param provider the JCA provider to sign with, or null for the JDK's default choice */
  public JwsSigner(PrivateKey key, String kid, java.security.Provider provider) {
    this.kid = kid;
    JsonObject header = new JsonObject().put("alg", "RS256").put("typ", "JWT").put("kid", kid);
    this.encodedHeader = B64.encode(header.encode().getBytes(StandardCharsets.UTF_8));
    this.signatures = ThreadLocal.withInitial(() -> {
      try {
        Signature s = provider != null ? Signature.getInstance("SHA256withRSA", provider)
            : Signature.getInstance("SHA256withRSA");
        s.initSign(key);
        return s;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("cannot sign RS256 with key " + kid + ": " + e.getMessage(), e);
      }
    });
    signatures.get(); // fail now, not on the first token, when the key or provider cannot sign
  }

  public String kid() {
    return kid;
  }

  /** {@code header.payload.signature}, base64url without padding. */
  public String sign(JsonObject claims) {
    byte[] payload = B64.encode(claims.encode().getBytes(StandardCharsets.UTF_8));
    byte[] signingInput = new byte[encodedHeader.length + 1 + payload.length];
    System.arraycopy(encodedHeader, 0, signingInput, 0, encodedHeader.length);
    signingInput[encodedHeader.length] = '.';
    System.arraycopy(payload, 0, signingInput, encodedHeader.length + 1, payload.length);
    byte[] signature;
    try {
      Signature s = signatures.get();
      s.update(signingInput);
      signature = s.sign(); // sign() resets the object for the next token
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RS256 signing failed with key " + kid + ": " + e.getMessage(), e);
    }
    byte[] encodedSignature = B64.encode(signature);
    StringBuilder jwt = new StringBuilder(signingInput.length + 1 + encodedSignature.length);
    jwt.append(new String(signingInput, StandardCharsets.US_ASCII)).append('.')
        .append(new String(encodedSignature, StandardCharsets.US_ASCII));
    return jwt.toString();
  }
}
