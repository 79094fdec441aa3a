package dev.lanyard.discovery;

import dev.lanyard.storage.model.KeyState;
import dev.lanyard.storage.model.SigningKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tenant's JSON Web Key Set (RFC 7517 §5): the public halves of its keys that are published at a given
 * moment, never a private parameter.
 *
 * <p>RSA keys ({@code RS*}, {@code PS*}) become {@code kty=RSA} with {@code n} and {@code e} (RFC 7518 §6.3.1:
 * unsigned big-endian, no leading zero octet); EC keys ({@code ES256/384/512}) become {@code kty=EC} with
 * {@code crv} P-256/P-384/P-521 and fixed-length {@code x}, {@code y} (RFC 7518 §6.2.1). Keys are listed
 * active first, then published (not yet signing), then retired, each group in storage order.
 */
public final class JwksDocument {
  private static final Logger log = LoggerFactory.getLogger(JwksDocument.class);
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
  private static final Comparator<SigningKey> JWKS_ORDER = Comparator.comparingInt(JwksDocument::rank);

  private JwksDocument() {}

  /**
   * The keys JWKS carries at {@code now} ({@link SigningKey#isPublishedAt}), in JWKS order: ACTIVE, then
   * PUBLISHED, then RETIRED; the sort is stable, so each group keeps the order of {@code keys}.
   */
  public static List<SigningKey> publishedKeys(List<SigningKey> keys, Instant now) {
    List<SigningKey> published = new ArrayList<>(keys.size());
    for (SigningKey key : keys) {
      if (key.isPublishedAt(now)) {
        published.add(key);
      }
    }
    published.sort(JWKS_ORDER);
    return published;
  }

  /**
   * Renders {@code {"keys":[...]}} from the keys published at {@code now}. A key whose public part cannot be
   * rendered (unknown algorithm, malformed DER) is left out and logged, so one bad key does not take the
   * whole set down.
   */
  public static JsonObject render(List<SigningKey> keys, Instant now) {
    JsonArray jwks = new JsonArray();
    for (SigningKey key : publishedKeys(keys, now)) {
      try {
        jwks.add(toJwk(key));
      } catch (IllegalArgumentException e) {
        log.error("signing key {} of tenant {} left out of JWKS: {}", key.kid(), key.tenantId(), e.getMessage());
      }
    }
    return new JsonObject().put("keys", jwks);
  }

  /**
   * The public JWK of one key: {@code kty}, {@code use=sig}, {@code alg}, {@code kid} and the public
   * parameters only. Fails with {@link IllegalArgumentException} when the algorithm is not RSA or EC P-256/
   * P-384/P-521, or {@code publicKey} is not a matching X.509 SubjectPublicKeyInfo.
   */
  public static JsonObject toJwk(SigningKey key) {
    String alg = key.algorithm();
    JsonObject jwk = new JsonObject();
    if (alg.startsWith("RS") || alg.startsWith("PS")) {
      RSAPublicKey rsa = decode("RSA", RSAPublicKey.class, key.publicKey());
      jwk.put("kty", "RSA").put("use", "sig").put("alg", alg).put("kid", key.kid())
          .put("n", base64url(unsigned(rsa.getModulus())))
          .put("e", base64url(unsigned(rsa.getPublicExponent())));
    } else if (alg.startsWith("ES")) {
      ECPublicKey ec = decode("EC", ECPublicKey.class, key.publicKey());
      int fieldBits = ec.getParams().getCurve().getField().getFieldSize();
      String crv = switch (fieldBits) {
        case 256 -> "P-256";
        case 384 -> "P-384";
        case 521 -> "P-521";
        default -> throw new IllegalArgumentException("unsupported EC field size " + fieldBits);
      };
      int length = (fieldBits + 7) / 8;
      jwk.put("kty", "EC").put("use", "sig").put("alg", alg).put("kid", key.kid()).put("crv", crv)
          .put("x", base64url(fixedLength(ec.getW().getAffineX(), length)))
          .put("y", base64url(fixedLength(ec.getW().getAffineY(), length)));
    } else {
      throw new IllegalArgumentException("unsupported algorithm " + alg);
    }
    return jwk;
  }

  private static <K> K decode(String keyType, Class<K> type, byte[] spki) {
    try {
      return type.cast(KeyFactory.getInstance(keyType).generatePublic(new X509EncodedKeySpec(spki)));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("public key is not an X.509 " + keyType + " key: " + e.getMessage());
    }
  }

  /** Big-endian magnitude without the sign octet BigInteger adds when the top bit is set. */
  static byte[] unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      byte[] trimmed = new byte[bytes.length - 1];
      System.arraycopy(bytes, 1, trimmed, 0, trimmed.length);
      return trimmed;
    }
    return bytes;
  }

  /** Left-pads to the curve's coordinate length, which RFC 7518 §6.2.1.2 requires even when leading octets are 0. */
  static byte[] fixedLength(BigInteger value, int length) {
    byte[] magnitude = unsigned(value);
    if (magnitude.length > length) {
      throw new IllegalArgumentException("coordinate longer than " + length + " octets");
    }
    byte[] padded = new byte[length];
    System.arraycopy(magnitude, 0, padded, length - magnitude.length, magnitude.length);
    return padded;
  }

  private static String base64url(byte[] bytes) {
    return BASE64URL.encodeToString(bytes);
  }

  private static int rank(SigningKey key) {
    return key.state() == KeyState.ACTIVE ? 0 : key.state() == KeyState.PUBLISHED ? 1 : 2;
  }
}
