package dev.lanyard.idp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.lanyard.idp.testing.KubeApiserverVerifier;
import dev.lanyard.idp.testing.TestLanyard;
import dev.lanyard.storage.model.Tenant;
import dev.lanyard.storage.model.TenantSettings;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real Lanyard over HTTPS on a random port and an H2 file: what the kube-apiserver sees of a tenant. */
class IssuerEndToEndTest {
  @TempDir
  Path dataDir;

  @Test
  @DisplayName("first start seeds tenant 'default' and prints issuer, CA path and the kube-apiserver flags")
  void firstStartBanner() {
    try (TestLanyard lanyard = TestLanyard.start(dataDir)) {
      String issuer = lanyard.issuer("default");
      Path ca = dataDir.resolve("tls/ca.pem");
      assertThat(lanyard.banner())
          .contains("Issuer URL:  " + issuer)
          .contains("--oidc-issuer-url=" + issuer)
          .contains("--oidc-client-id=kubernetes")
          .contains("--oidc-ca-file=" + ca)
          .contains("--oidc-username-claim=preferred_username")
          .contains("--oidc-groups-claim=groups")
          .contains("administrator 'admin'");
      assertThat(ca).exists();
      assertThat(lanyard.get("/healthz").statusCode()).isEqualTo(200);
      assertThat(lanyard.get("/readyz").statusCode()).isEqualTo(200);
      HttpResponse<String> console = lanyard.get("/admin/");
      assertThat(console.statusCode()).isEqualTo(200);
      assertThat(console.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
      assertThat(console.body()).contains("Lanyard admin console");
      HttpResponse<String> bare = lanyard.get("/admin");
      assertThat(bare.statusCode()).isEqualTo(302);
      assertThat(bare.headers().firstValue("Location")).hasValue("/admin/");
    }
  }

  @Test
  @DisplayName("the start banner's flags name users by email once the bootstrap tenant does")
  void bannerFollowsTheTenantsUsernameSetting() {
    try (TestLanyard lanyard = TestLanyard.start(dataDir)) {
      lanyard.server().storage().transactionBlocking(s -> {
        Tenant t = s.tenants().find("default").orElseThrow();
        TenantSettings email = new TenantSettings(TenantSettings.EMAIL, t.settings().robotPrefix(), null, null, null);
        s.tenants().update(new Tenant(t.id(), t.displayName(), t.createdAt(), email));
        return null;
      });
    }
    try (TestLanyard lanyard = TestLanyard.start(dataDir)) {
      assertThat(lanyard.banner()).contains("--oidc-username-claim=email")
          .doesNotContain("--oidc-username-claim=preferred_username");
    }
  }

  @Test
  @DisplayName("discovery: issuer byte for byte, jwks_uri, token endpoint, and nothing that does not exist")
  void discoveryFieldByField() {
    try (TestLanyard lanyard = TestLanyard.start(dataDir)) {
      String issuer = lanyard.issuer("default");
      HttpResponse<String> res = lanyard.get("/t/default/.well-known/openid-configuration");
      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
      assertThat(res.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("max-age="));
      JsonObject d = new JsonObject(res.body());
      assertThat(d.getString("issuer")).isEqualTo(issuer);
      assertThat(d.getString("jwks_uri")).isEqualTo(issuer + "/jwks");
      assertThat(d.getString("token_endpoint")).isEqualTo(issuer + "/token");
      assertThat(d.getJsonArray("id_token_signing_alg_values_supported").getList()).containsExactly("RS256");
      assertThat(d.getJsonArray("subject_types_supported").getList()).containsExactly("public");
      assertThat(d.getJsonArray("grant_types_supported").getList())
          .containsExactlyInAnyOrder("authorization_code", "password", "refresh_token", "client_credentials",
              "urn:ietf:params:oauth:grant-type:device_code");
      assertThat(d.getString("device_authorization_endpoint")).isEqualTo(issuer + "/device/code");
      assertThat(d.getString("authorization_endpoint")).isEqualTo(issuer + "/authorize");
      assertThat(d.getString("end_session_endpoint")).isEqualTo(issuer + "/logout");
      assertThat(d.getJsonArray("response_types_supported").getList()).containsExactly("code");
      assertThat(d.getJsonArray("response_modes_supported").getList()).containsExactly("query");
      assertThat(d.getJsonArray("code_challenge_methods_supported").getList()).containsExactly("S256");
      assertThat(d.getJsonArray("prompt_values_supported").getList()).containsExactly("none", "login", "consent");
      assertThat(d.getBoolean("authorization_response_iss_parameter_supported")).isTrue();
      assertThat(d.getJsonArray("scopes_supported").getList()).contains("openid", "email", "profile", "groups");
      assertThat(d.getJsonArray("claims_supported").getList())
          .contains("sub", "iss", "aud", "exp", "iat", "email", "email_verified", "preferred_username", "groups");
      // Endpoints that do not exist yet are not advertised.
      assertThat(d.getString("userinfo_endpoint")).isEqualTo(issuer + "/userinfo");
      assertThat(d.getString("introspection_endpoint")).isEqualTo(issuer + "/introspect");
      assertThat(d.getJsonArray("introspection_endpoint_auth_methods_supported").getList())
          .containsExactly("client_secret_basic", "client_secret_post");
      assertThat(d.getJsonArray("revocation_endpoint_auth_methods_supported").getList()).contains("none");
      assertThat(d.getString("revocation_endpoint")).isEqualTo(issuer + "/revoke");
      // Every advertised endpoint answers something other than 404.
      assertThat(lanyard.get("/t/default/jwks").statusCode()).isEqualTo(200);
      assertThat(lanyard.get("/t/default/authorize").statusCode()).isEqualTo(400);
      assertThat(lanyard.get("/t/default/logout").statusCode()).isEqualTo(200);
      assertThat(lanyard.postForm("/t/default/token", Map.of(), null).statusCode()).isEqualTo(400);
      assertThat(lanyard.postForm("/t/default/introspect", Map.of(), null).statusCode()).isEqualTo(401);
      assertThat(lanyard.postForm("/t/default/revoke", Map.of(), null).statusCode()).isEqualTo(401);
      assertThat(lanyard.postForm("/t/default/device/code", Map.of(), null).statusCode()).isEqualTo(401);
      assertThat(lanyard.get("/t/default/userinfo").statusCode()).isEqualTo(401);
    }
  }

  @Test
  @DisplayName("JWKS: one RSA signing key of 2048 bits or more, no private parameters, ETag gives 304")
  void jwks() throws Exception {
    try (TestLanyard lanyard = TestLanyard.start(dataDir)) {
      HttpResponse<String> res = lanyard.get("/t/default/jwks");
      JWKSet set = JWKSet.parse(res.body());
      assertThat(set.getKeys()).hasSize(1);
      RSAKey key = set.getKeys().get(0).toRSAKey();
      assertThat(key.isPrivate()).isFalse();
      assertThat(key.size()).isGreaterThanOrEqualTo(2048);
      assertThat(key.getAlgorithm().getName()).isEqualTo("RS256");
      assertThat(key.getKeyUse().identifier()).isEqualTo("sig");
      assertThat(key.getKeyID()).isEqualTo(key.computeThumbprint().toString());
      assertThat(new JsonObject(res.body()).getJsonArray("keys").getJsonObject(0).fieldNames())
          .doesNotContain("d", "p", "q", "dp", "dq", "qi");
      String etag = res.headers().firstValue("ETag").orElseThrow();
      assertThat(lanyard.get("/t/default/jwks", "If-None-Match", etag).statusCode()).isEqualTo(304);
    }
  }

  @Test
  @DisplayName("the serving certificate chains to the generated CA, which says CA:TRUE, and names localhost")
  void tlsChainsToGeneratedCa() throws Exception {
    try (TestLanyard lanyard = TestLanyard.start(dataDir)) {
      HttpsURLConnection conn = (HttpsURLConnection) URI.create(lanyard.baseUrl() + "/healthz").toURL().openConnection();
      conn.setSSLSocketFactory(TestLanyard.trusting(dataDir.resolve("tls/ca.pem")).getSocketFactory());
      assertThat(conn.getResponseCode()).isEqualTo(200);
      var chain = conn.getServerCertificates();
      X509Certificate leaf = (X509Certificate) chain[0];
      X509Certificate ca = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
          .generateCertificate(Files.newInputStream(dataDir.resolve("tls/ca.pem")));
      assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0); // CA:TRUE
      assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
      leaf.verify(ca.getPublicKey());
      assertThat(leaf.getSubjectAlternativeNames()).extracting(l -> l.get(1).toString())
          .contains("localhost", "127.0.0.1");
      conn.disconnect();
    }
  }

  @Test
  @DisplayName("on Linux the listeners run on Netty's epoll transport, which the jar carries, not on NIO")
  void epollTransportOnLinux() {
    String arch = System.getProperty("os.arch");
    assumeTrue(System.getProperty("os.name").startsWith("Linux")
        && (arch.equals("amd64") || arch.equals("aarch64")), "epoll is only shipped for Linux x86_64 and aarch64");
    try (TestLanyard lanyard = TestLanyard.start(dataDir)) {
      assertThat(lanyard.server().vertx().isNativeTransportEnabled())
          .as("native transport: %s", lanyard.server().vertx().unavailableNativeTransportCause()).isTrue();
      assertThat(lanyard.get("/healthz").statusCode()).isEqualTo(200);
    }
  }

  @Test
  @DisplayName("password grant: ID token verified with Nimbus exactly as the kube-apiserver verifies it")
  void passwordGrantIdTokenVerifiesAsKubeApiserverDoes() throws Exception {
    try (TestLanyard lanyard = TestLanyard.start(dataDir)) {
      JsonObject tokens = lanyard.adminTokens("default", "openid email profile groups");
      assertThat(tokens.getString("token_type")).isEqualTo("Bearer");
      assertThat(tokens.getString("access_token")).isNotBlank();
      assertThat(tokens.getLong("expires_in")).isPositive();
      String issuer = lanyard.issuer("default");
      JWTClaimsSet claims = KubeApiserverVerifier.verify(lanyard, issuer, "kubernetes", tokens.getString("id_token"));
      assertThat(claims.getIssuer()).isEqualTo(issuer);
      assertThat(claims.getAudience()).contains("kubernetes");
      assertThat(claims.getSubject()).isNotBlank();
      assertThat(claims.getStringClaim("preferred_username")).isEqualTo("admin");
      assertThat(claims.getStringClaim("name")).isEqualTo("Administrator");
      assertThat(claims.getStringListClaim("groups")).isEmpty();
      assertThat(claims.getExpirationTime().toInstant()).isAfter(Instant.now());
      assertThat(claims.getIssueTime().toInstant()).isBefore(Instant.now().plusSeconds(1));
      JWSObject jws = JWSObject.parse(tokens.getString("id_token"));
      assertThat(jws.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
      assertThat(jws.getHeader().getKeyID()).isNotBlank();
      // The API server refuses a token whose audience is another client.
      assertThatThrownBy(() -> KubeApiserverVerifier.verify(lanyard, issuer, "other-client", tokens.getString("id_token")))
          .hasMessageContaining("aud");
    }
  }

  @Test
  @DisplayName("scopes decide the claims: without groups/profile scopes, no groups or username claims")
  void scopesDecideClaims() throws Exception {
    try (TestLanyard lanyard = TestLanyard.start(dataDir)) {
      JsonObject tokens = lanyard.adminTokens("default", "openid");
      JWTClaimsSet claims = KubeApiserverVerifier.verify(lanyard, lanyard.issuer("default"), "kubernetes",
          tokens.getString("id_token"));
      assertThat(claims.getClaims()).doesNotContainKeys("groups", "preferred_username", "email");
      JsonObject noOpenid = lanyard.adminTokens("default", "profile");
      assertThat(noOpenid.containsKey("id_token")).isFalse();
    }
  }

  @Test
  @DisplayName("a restart keeps the kid, and a token issued before it still verifies")
  void restartKeepsKid() throws Exception {
    String token;
    String kid;
    String issuer;
    int port;
    try (TestLanyard first = TestLanyard.start(dataDir)) {
      token = first.adminTokens("default", "openid groups").getString("id_token");
      kid = JWKSet.parse(first.get("/t/default/jwks").body()).getKeys().get(0).getKeyID();
      issuer = first.issuer("default");
      port = first.server().port();
    }
    // Same port, so the issuer URL (which names it) is the same after the restart.
    try (TestLanyard second = TestLanyard.start(dataDir, Map.of("server.port", String.valueOf(port)))) {
      JWKSet jwks = JWKSet.parse(second.get("/t/default/jwks").body());
      assertThat(jwks.getKeys()).extracting(JWK::getKeyID).containsExactly(kid);
      assertThat(second.banner()).doesNotContain("First start");
      KubeApiserverVerifier.verify(second, issuer, "kubernetes", token);
      String fresh = second.adminTokens("default", "openid").getString("id_token");
      assertThat(JWSObject.parse(fresh).getHeader().getKeyID()).isEqualTo(kid);
    }
  }

  @Test
  @DisplayName("a token of tenant A does not verify with tenant B's JWKS, and B's issuer differs")
  void tenantIsolation() throws Exception {
    Path importFile = dataDir.resolveSibling(dataDir.getFileName() + "-import.yaml");
    Files.writeString(importFile, """
        tenants:
          - id: other
            displayName: Other cluster
            users:
              - {username: admin, password: admin-password-for-tests, groups: [ops]}
            clients:
              - {id: kubernetes, public: true, redirectUris: ["http://localhost:8000"], grants: [password]}
        """);
    TestLanyard.start(dataDir).close(); // first start seeds tenant 'default'
    assertThat(Main.run("import", importFile.toString(), "--data-dir", dataDir.toString())).isZero();
    try (TestLanyard lanyard = TestLanyard.start(dataDir)) {
      String tokenA = lanyard.adminTokens("default", "openid groups").getString("id_token");
      String tokenB = lanyard.adminTokens("other", "openid groups").getString("id_token");
      JWKSet jwksB = JWKSet.parse(lanyard.get("/t/other/jwks").body());
      JWKSet jwksA = JWKSet.parse(lanyard.get("/t/default/jwks").body());
      assertThat(jwksA.getKeys().get(0).getKeyID()).isNotEqualTo(jwksB.getKeys().get(0).getKeyID());
      assertThatThrownBy(() -> KubeApiserverVerifier.verifyWith(jwksB, lanyard.issuer("other"), "kubernetes", tokenA))
          .isInstanceOf(Exception.class);
      assertThatThrownBy(() -> KubeApiserverVerifier.verifyWith(jwksB, lanyard.issuer("default"), "kubernetes", tokenA))
          .isInstanceOf(Exception.class);
      JWTClaimsSet b = KubeApiserverVerifier.verify(lanyard, lanyard.issuer("other"), "kubernetes", tokenB);
      assertThat(b.getStringListClaim("groups")).containsExactly("ops");
      // Tenant A's admin password is not tenant B's user: separate users with separate ids.
      JWTClaimsSet a = KubeApiserverVerifier.verify(lanyard, lanyard.issuer("default"), "kubernetes", tokenA);
      assertThat(a.getSubject()).isNotEqualTo(b.getSubject());
    }
  }
}
