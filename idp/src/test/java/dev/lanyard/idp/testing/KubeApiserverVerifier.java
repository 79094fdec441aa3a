package dev.lanyard.idp.testing;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Verifies an ID token the way the kube-apiserver's OIDC authenticator does, with Nimbus JOSE+JWT (not our
 * code): discovery's {@code issuer} must equal the configured issuer byte for byte, keys come from its
 * {@code jwks_uri}, only RS256 is accepted (flag mode), {@code iss} must match, {@code aud} must contain the
 * client id, {@code exp} is checked with no leeway.
 */
public final class KubeApiserverVerifier {
  private KubeApiserverVerifier() {}

  /** The verified claims; throws when anything the API server checks fails. */
  public static JWTClaimsSet verify(TestLanyard lanyard, String issuerUrl, String clientId, String idToken)
      throws Exception {
    String tenantPath = issuerUrl.substring(lanyard.baseUrl().length());
    JsonObject discovery = lanyard.getJson(tenantPath + "/.well-known/openid-configuration");
    if (!issuerUrl.equals(discovery.getString("issuer"))) {
      throw new AssertionError("discovery issuer " + discovery.getString("issuer") + " != " + issuerUrl);
    }
    String jwksPath = discovery.getString("jwks_uri").substring(lanyard.baseUrl().length());
    JWKSet jwks = JWKSet.parse(lanyard.get(jwksPath).body());
    return verifyWith(jwks, issuerUrl, clientId, idToken);
  }

  /** As {@link #verify}, against a given JWKS. */
  public static JWTClaimsSet verifyWith(JWKSet jwks, String issuerUrl, String clientId, String idToken)
      throws Exception {
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(jwks)));
    DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(clientId,
        new JWTClaimsSet.Builder().issuer(issuerUrl).build(), Set.of("sub", "exp", "iat"));
    claims.setMaxClockSkew(0);
    processor.setJWTClaimsSetVerifier(claims);
    return processor.process(idToken, null);
  }
}
