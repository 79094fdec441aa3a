package dev.lanyard.idp.login;

import dev.lanyard.storage.model.SigningKey;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks an {@code id_token_hint} (OIDC RP-Initiated Logout §2): an ID token this tenant signed, verified with the
 * tenant's key named by {@code kid}, its {@code iss} this tenant's issuer. Expiry is not checked: the spec lets a
 * client send an expired ID token, which still proves who the user was.
 */
final class IdTokenHints {
  private static final Map<String, String> ALGORITHMS = Map.of("RS256", "SHA256withRSA", "RS384", "SHA384withRSA",
      "RS512", "SHA512withRSA");

  /** The hint's subject and audiences. */
  record Hint(String subject, List<String> audiences) {}

  private IdTokenHints() {}

  static Optional<Hint> verify(String token, List<SigningKey> keys, String issuer) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) return Optional.empty();
    try {
      Base64.Decoder b64 = Base64.getUrlDecoder();
      JsonObject header = new JsonObject(new String(b64.decode(parts[0]), StandardCharsets.UTF_8));
      JsonObject claims = new JsonObject(new String(b64.decode(parts[1]), StandardCharsets.UTF_8));
      String alg = header.getString("alg");
      String javaAlg = ALGORITHMS.get(alg);
      String kid = header.getString("kid");
      if (javaAlg == null || kid == null) return Optional.empty();
      SigningKey key = keys.stream().filter(k -> k.kid().equals(kid) && k.algorithm().equals(alg)).findFirst()
          .orElse(null);
      if (key == null) return Optional.empty();
      PublicKey publicKey = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(key.publicKey()));
      Signature verifier = Signature.getInstance(javaAlg);
      verifier.initVerify(publicKey);
      verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!verifier.verify(b64.decode(parts[2]))) return Optional.empty();
      if (!issuer.equals(claims.getString("iss")) || claims.getString("sub") == null) return Optional.empty();
      Object aud = claims.getValue("aud");
      List<String> audiences = new ArrayList<>();
      if (aud instanceof String a) audiences.add(a);
      if (aud instanceof JsonArray arr) arr.forEach(a -> audiences.add(String.valueOf(a)));
      return Optional.of(new Hint(claims.getString("sub"), List.copyOf(audiences)));
    } catch (IllegalArgumentException | DecodeException | ClassCastException | GeneralSecurityException e) {
      return Optional.empty();
    }
  }
}
