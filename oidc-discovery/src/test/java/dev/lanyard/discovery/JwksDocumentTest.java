package dev.lanyard.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import dev.lanyard.storage.model.KeyState;
import dev.lanyard.storage.model.SigningKey;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JwksDocumentTest {
  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

  @Test
  @DisplayName("EC P-256, P-384 and P-521 keys render with their curve and fixed-length coordinates")
  void ecKeys() throws Exception {
    KeyPair p256 = TestKeys.ec("secp256r1");
    KeyPair p384 = TestKeys.ec("secp384r1");
    KeyPair p521 = TestKeys.ec("secp521r1");
    JsonObject jwks = JwksDocument.render(List.of(
        TestKeys.key("t", "a", "ES256", p256, KeyState.ACTIVE, NOW),
        TestKeys.key("t", "b", "ES384", p384, KeyState.PUBLISHED, NOW),
        TestKeys.key("t", "c", "ES512", p521, KeyState.PUBLISHED, NOW)), NOW);

    JWKSet set = JWKSet.parse(jwks.encode());
    assertThat(set.getKeys()).hasSize(3);
    check(set.getKeyByKeyId("a"), Curve.P_256, p256, 32);
    check(set.getKeyByKeyId("b"), Curve.P_384, p384, 48);
    check(set.getKeyByKeyId("c"), Curve.P_521, p521, 66);
  }

  private static void check(JWK jwk, Curve curve, KeyPair pair, int coordinateLength) throws Exception {
    ECKey ec = (ECKey) jwk;
    assertThat(ec.isPrivate()).isFalse();
    assertThat(ec.getCurve()).isEqualTo(curve);
    assertThat(ec.toECPublicKey().getW()).isEqualTo(((ECPublicKey) pair.getPublic()).getW());
    assertThat(ec.getX().decode()).hasSize(coordinateLength);
    assertThat(ec.getY().decode()).hasSize(coordinateLength);
  }

  @Test
  @DisplayName("RSA n has no leading zero octet; e=65537 is AQAB")
  void rsaUnsignedEncoding() throws Exception {
    KeyPair pair = TestKeys.rsa();
    JsonObject jwk = JwksDocument.toJwk(TestKeys.key("t", "k", "RS256", pair, KeyState.ACTIVE, NOW));
    byte[] n = Base64.getUrlDecoder().decode(jwk.getString("n"));
    assertThat(n).hasSize(256);
    assertThat(n[0]).isNotZero();
    assertThat(jwk.getString("e")).isEqualTo("AQAB");
    assertThat(jwk.fieldNames()).containsExactly("kty", "use", "alg", "kid", "n", "e");
    assertThat(RSAKey.parse(jwk.encode()).toRSAPublicKey()).isEqualTo(pair.getPublic());
    assertThat(JwksDocument.fixedLength(BigInteger.ONE, 4)).containsExactly(0, 0, 0, 1);
  }

  @Test
  @DisplayName("order is active, published, retired; a key past unpublishAfter and an unsupported one are left out")
  void orderAndFiltering() {
    KeyPair rsa = TestKeys.rsa();
    SigningKey retired = TestKeys.retired("t", "retired", rsa, NOW.minusSeconds(60), NOW.plusSeconds(3600));
    SigningKey gone = TestKeys.retired("t", "gone", rsa, NOW.minusSeconds(7200), NOW);
    SigningKey published = TestKeys.key("t", "published", "RS256", rsa, KeyState.PUBLISHED, NOW);
    SigningKey active = TestKeys.key("t", "active", "RS256", rsa, KeyState.ACTIVE, NOW);
    SigningKey eddsa = new SigningKey("t", "ed", "EdDSA", new byte[] {1}, new byte[] {1}, KeyState.PUBLISHED, NOW, NOW,
        null, null, null);
    JsonObject jwks = JwksDocument.render(List.of(retired, gone, published, eddsa, active), NOW);
    assertThat(jwks.getJsonArray("keys").stream().map(k -> ((JsonObject) k).getString("kid")))
        .containsExactly("active", "published", "retired");
  }
}
