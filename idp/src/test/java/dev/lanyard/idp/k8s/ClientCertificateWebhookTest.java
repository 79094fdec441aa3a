package dev.lanyard.idp.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.testing.TestLanyard;
import dev.lanyard.idp.tls.IssuedCertificate;
import dev.lanyard.idp.tls.LocalCertificateAuthority;
import dev.lanyard.idp.tokens.TokenService;
import dev.lanyard.storage.model.PrincipalType;
import dev.lanyard.storage.model.TokenKind;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cluster calling the webhook with a TLS client certificate issued by the Lanyard CA, over real HTTPS. */
class ClientCertificateWebhookTest {
  @TempDir
  static Path dir;

  static TestLanyard lanyard;
  static LocalCertificateAuthority ca;
  static IssuedCertificate certificate;
  static String userId;

  @BeforeAll
  static void start() {
    Path data = dir.resolve("data");
    lanyard = TestLanyard.start(data);
    ClusterService clusters = lanyard.server().services().clusters();
    clusters.register("default", "prod", null, "test", null).await();
    clusters.register("default", "bearer-only", null, "test", null).await();
    ca = LocalCertificateAuthority.loadOrCreate(data.resolve("tls"), Clock.systemUTC());
    ClusterService.Certified certified = clusters.issueClientCertificate("default", "prod", ca, Duration.ofDays(1),
        "test", null).await();
    certificate = certified.certificate();
    assertThat(certified.cluster().certificateSubject())
        .isEqualTo(ClusterService.certificateSubject("default", "prod", certified.cluster().uid()));
    userId = lanyard.server().storage().transactionBlocking(s -> s.users().findByUsername("default", "admin"))
        .orElseThrow().id();
  }

  @AfterAll
  static void stop() {
    lanyard.close();
  }

  static String token() {
    return lanyard.server().services().tokens().mint(new TokenService.MintRequest("default", TokenKind.KUBERNETES,
        PrincipalType.USER, userId, null, List.of(), null), "test", null).await().secret();
  }

  static HttpResponse<String> review(SSLContext tls, String tenant, String bearer, String token) throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(lanyard.baseUrl() + "/t/" + tenant + "/tokenreview?timeout=30s"))
        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofString(TokenReviewWebhookTest.body(TokenReviewRequest.V1, token)));
    if (bearer != null) b.header("Authorization", "Bearer " + bearer);
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @DisplayName("a client certificate issued for the cluster authenticates the webhook caller")
  void issuedCertificateAuthenticates() throws Exception {
    HttpResponse<String> res = review(withCertificate(certificate, false), "default", null, token());
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    JsonObject status = new JsonObject(res.body()).getJsonObject("status");
    assertThat(status.getBoolean("authenticated")).isTrue();
    assertThat(status.getJsonObject("user").getJsonObject("extra").getJsonArray("lanyard.dev/cluster").getList())
        .containsExactly("prod");
  }

  @Test
  @DisplayName("the same certificate is refused at another tenant (401)")
  void otherTenant() throws Exception {
    HttpResponse<String> res = review(withCertificate(certificate, false), "nope", null, token());
    assertThat(res.statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName("a wrong bearer credential is not rescued by a valid certificate (401)")
  void wrongBearerWithCertificate() throws Exception {
    HttpResponse<String> res = review(withCertificate(certificate, false), "default",
        dev.lanyard.idp.tokens.OpaqueTokenFormat.WEBHOOK.generate(), token());
    assertThat(res.statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName("no certificate and no bearer: 401; the listener still serves clients without certificates")
  void noCertificate() throws Exception {
    HttpResponse<String> res = review(TestLanyard.trusting(lanyard.server().caFile()), "default", null, token());
    assertThat(res.statusCode()).isEqualTo(401);
    assertThat(lanyard.get("/t/default/.well-known/openid-configuration").statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("a certificate from another CA with the cluster's CN is refused (401)")
  void foreignCaRefused() throws Exception {
    LocalCertificateAuthority foreign = LocalCertificateAuthority.loadOrCreate(dir.resolve("foreign"), Clock.systemUTC());
    IssuedCertificate forged = foreign.issueClientCertificate(subject("prod"), Duration.ofDays(1));
    // An ordinary client sends no certificate the server's CA list does not name: 401.
    HttpResponse<String> res = review(withCertificate(forged, false), "default", null, token());
    assertThat(res.statusCode()).isEqualTo(401);
    // One that insists is refused by the TLS layer, or answered 401; never authenticated.
    try {
      HttpResponse<String> forced = review(withCertificate(forged, true), "default", null, token());
      assertThat(forced.statusCode()).isEqualTo(401);
    } catch (java.io.IOException handshakeRefused) {
      // expected alternative
    }
  }

  @Test
  @DisplayName("a certificate of the Lanyard CA whose CN is no cluster's is refused (401)")
  void unknownSubject() throws Exception {
    IssuedCertificate stranger = ca.issueClientCertificate(subject("bearer-only"), Duration.ofDays(1));
    HttpResponse<String> res = review(withCertificate(stranger, false), "default", null, token());
    assertThat(res.statusCode()).isEqualTo(401);
  }

  /** The subject Lanyard would give cluster {@code name} of tenant default. */
  static String subject(String name) {
    String uid = lanyard.server().storage().transactionBlocking(s -> s.clusters().find("default", name))
        .orElseThrow().uid();
    return ClusterService.certificateSubject("default", name, uid);
  }

  /** An SSL context presenting {@code cert} and trusting only the Lanyard CA. */
  static SSLContext withCertificate(IssuedCertificate cert, boolean alwaysSend) throws Exception {
    return withCertificate(cert, alwaysSend, lanyard.server().caFile());
  }

  /** An SSL context presenting {@code cert} and trusting only the CA in {@code caFile}. */
  static SSLContext withCertificate(IssuedCertificate cert, boolean alwaysSend, Path caFile) throws Exception {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    X509Certificate x509 = (X509Certificate) cf.generateCertificate(
        new ByteArrayInputStream(cert.certificatePem().getBytes(StandardCharsets.US_ASCII)));
    String body = cert.privateKeyPem().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("client", key, new char[0], new java.security.cert.Certificate[] {x509});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, new char[0]);
    KeyManager km = kmf.getKeyManagers()[0];
    if (alwaysSend) km = new AlwaysSend((X509KeyManager) km);
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("ca", cf.generateCertificate(java.nio.file.Files.newInputStream(caFile)));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(new KeyManager[] {km}, tmf.getTrustManagers(), null);
    return ctx;
  }

  /** Sends its certificate whatever CAs the server names. */
  private static final class AlwaysSend extends X509ExtendedKeyManager {
    private final X509KeyManager delegate;

    AlwaysSend(X509KeyManager delegate) {
      this.delegate = delegate;
    }

    @Override public String[] getClientAliases(String keyType, Principal[] issuers) { return new String[] {"client"}; }
    @Override public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) { return "client"; }
    @Override public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) { return "client"; }
    @Override public String[] getServerAliases(String keyType, Principal[] issuers) { return null; }
    @Override public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) { return null; }
    @Override public X509Certificate[] getCertificateChain(String alias) { return delegate.getCertificateChain(alias); }
    @Override public PrivateKey getPrivateKey(String alias) { return delegate.getPrivateKey(alias); }
  }
}
