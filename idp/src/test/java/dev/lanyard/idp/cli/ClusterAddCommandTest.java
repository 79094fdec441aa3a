package dev.lanyard.idp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.lanyard.idp.Main;
import dev.lanyard.idp.k8s.ClusterOnboarding;
import dev.lanyard.idp.testing.TestLanyard;
import dev.lanyard.idp.tokens.TokenService;
import dev.lanyard.storage.model.PrincipalType;
import dev.lanyard.storage.model.TokenKind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** {@code lanyard cluster add}: the generated files parse, say the right things, and work as-is. */
public class ClusterAddCommandTest {
  private static final YAMLMapper YAML = new YAMLMapper();

  @TempDir
  Path dir;

  @Test
  void generatedFilesWorkAsIs() throws Exception {
    Path data = dir.resolve("data");
    TestLanyard.start(data).close(); // seeds tenant 'default' and the CA
    int port;
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      port = socket.getLocalPort();
    }
    Path config = dir.resolve("lanyard.yaml");
    Files.writeString(config, """
        server:
          port: %d
          host: 127.0.0.1
        passwords:
          memoryKib: 8192
          iterations: 1
        """.formatted(port));
    Path out = dir.resolve("out");
    assertThat(Main.run("cluster", "add", "--tenant", "default", "prod", "--config", config.toString(),
        "--data-dir", data.toString(), "--out-dir", out.toString())).isZero();
    String printed = capture(() -> assertThat(Main.run("cluster", "add", "--tenant", "default", "edge",
        "--client-certificate", "--config", config.toString(), "--data-dir", data.toString())).isZero());
    assertThat(printed).contains("==> " + ClusterOnboarding.WEBHOOK_KUBECONFIG + " <==")
        .contains("==> authentication-config-v1.yaml <==").contains("--authentication-token-webhook-version=v1");

    String publicUrl = "https://localhost:" + port;
    String issuer = publicUrl + "/t/default";
    String caPem = Files.readString(data.resolve("tls/ca.pem"));
    assertThat(Files.readString(out.resolve(ClusterOnboarding.CA_FILE))).isEqualTo(caPem);

    // (a) webhook kubeconfig
    Path kubeconfigFile = out.resolve(ClusterOnboarding.WEBHOOK_KUBECONFIG);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kubeconfigFile))).isEqualTo("rw-------");
    JsonNode kubeconfig = YAML.readTree(kubeconfigFile.toFile());
    assertThat(kubeconfig.path("apiVersion").asText()).isEqualTo("v1");
    assertThat(kubeconfig.path("kind").asText()).isEqualTo("Config");
    JsonNode cluster = kubeconfig.path("clusters").get(0);
    assertThat(cluster.path("name").asText()).isEqualTo("lanyard");
    String server = cluster.path("cluster").path("server").asText();
    assertThat(server).isEqualTo(issuer + "/tokenreview");
    String caData = cluster.path("cluster").path("certificate-authority-data").asText();
    assertThat(new String(Base64.getDecoder().decode(caData), StandardCharsets.US_ASCII)).isEqualTo(caPem);
    JsonNode user = kubeconfig.path("users").get(0);
    assertThat(user.path("name").asText()).isEqualTo("kube-apiserver");
    String credential = user.path("user").path("token").asText();
    assertThat(credential).startsWith("lyw_");
    assertThat(user.path("user").has("client-certificate-data")).isFalse();
    JsonNode context = kubeconfig.path("contexts").get(0);
    assertThat(context.path("context").path("cluster").asText()).isEqualTo("lanyard");
    assertThat(context.path("context").path("user").asText()).isEqualTo("kube-apiserver");
    assertThat(kubeconfig.path("current-context").asText()).isEqualTo(context.path("name").asText());

    // (b) flags
    List<String> flags = Files.readAllLines(out.resolve(ClusterOnboarding.FLAGS_FILE)).stream()
        .filter(l -> l.startsWith("--")).toList();
    assertThat(flags).containsExactly(
        "--oidc-issuer-url=" + issuer,
        "--oidc-client-id=kubernetes",
        "--oidc-ca-file=/etc/kubernetes/lanyard/ca.pem",
        "--oidc-username-claim=preferred_username",
        "--oidc-username-prefix=-",
        "--oidc-groups-claim=groups",
        "--authentication-token-webhook-config-file=/etc/kubernetes/lanyard/webhook-kubeconfig.yaml",
        "--authentication-token-webhook-version=v1",
        "--authentication-token-webhook-cache-ttl=10s");
    assertThat(Files.readString(out.resolve(ClusterOnboarding.FLAGS_FILE))).contains("revocation latency equals");

    // (c) AuthenticationConfiguration, both versions
    for (String version : List.of("v1beta1", "v1")) {
      JsonNode auth = YAML.readTree(out.resolve("authentication-config-" + version + ".yaml").toFile());
      assertThat(auth.path("apiVersion").asText()).isEqualTo("apiserver.config.k8s.io/" + version);
      assertThat(auth.path("kind").asText()).isEqualTo("AuthenticationConfiguration");
      assertThat(auth.path("jwt").size()).isEqualTo(1);
      JsonNode jwt = auth.path("jwt").get(0);
      assertThat(jwt.path("issuer").path("url").asText()).isEqualTo(issuer);
      assertThat(jwt.path("issuer").path("audiences")).containsExactly(YAML.getNodeFactory().textNode("kubernetes"));
      assertThat(jwt.path("issuer").path("certificateAuthority").asText()).isEqualTo(caPem);
      JsonNode mappings = jwt.path("claimMappings");
      assertThat(mappings.path("username").path("claim").asText()).isEqualTo("preferred_username");
      assertThat(mappings.path("username").has("prefix")).isTrue();
      assertThat(mappings.path("username").path("prefix").asText()).isEmpty();
      assertThat(mappings.path("groups").path("claim").asText()).isEqualTo("groups");
      assertThat(mappings.path("groups").path("prefix").asText()).isEmpty();
      assertThat(mappings.path("uid").path("claim").asText()).isEqualTo("sub");
      // Users named by preferred_username may have an unverified email address: no email_verified rule.
      assertThat(jwt.has("claimValidationRules")).isFalse();
      JsonNode userRules = jwt.path("userValidationRules");
      assertThat(userRules.size()).isEqualTo(2);
      assertThat(userRules.get(0).path("expression").asText()).isEqualTo("!user.username.startsWith('system:')");
      assertThat(userRules.get(1).path("expression").asText())
          .isEqualTo("user.groups.all(group, !group.startsWith('system:'))");
      assertThat(userRules.get(1).path("message").asText()).isNotEmpty();
    }

    // The kubeconfig, used as-is by a kube-apiserver: its server, CA and token authenticate a minted token.
    String editKubeconfigYaml = printed.substring(printed.indexOf("==> " + ClusterOnboarding.WEBHOOK_KUBECONFIG),
        printed.indexOf("==> " + ClusterOnboarding.FLAGS_FILE));
    JsonNode edgeUser = YAML.readTree(editKubeconfigYaml.substring(editKubeconfigYaml.indexOf('\n') + 1))
        .path("users").get(0).path("user");
    try (TestLanyard lanyard = TestLanyard.start(data, Map.of("server.port", Integer.toString(port)))) {
      assertThat(lanyard.baseUrl()).isEqualTo(publicUrl);
      String adminId = lanyard.server().storage()
          .transactionBlocking(s -> s.users().findByUsername("default", "admin")).orElseThrow().id();
      String token = lanyard.server().services().tokens().mint(new TokenService.MintRequest("default",
          TokenKind.KUBERNETES, PrincipalType.USER, adminId, null, List.of(), null), "test", null).await().secret();
      SSLContext trustingKubeconfigCa = sslContext(caData, null, null);
      JsonObject status = review(trustingKubeconfigCa, server, credential, token);
      assertThat(status.getBoolean("authenticated")).isTrue();
      assertThat(status.getJsonObject("user").getString("username")).isEqualTo("admin");
      assertThat(status.getJsonObject("user").getJsonObject("extra").getJsonArray("lanyard.dev/cluster"))
          .isEqualTo(new JsonArray().add("prod"));

      // The second cluster's kubeconfig carries a client certificate too; it works without the token.
      SSLContext withCertificate = sslContext(caData, edgeUser.path("client-certificate-data").asText(),
          edgeUser.path("client-key-data").asText());
      JsonObject edge = review(withCertificate, server, null, token);
      assertThat(edge.getBoolean("authenticated")).isTrue();
      assertThat(edge.getJsonObject("user").getJsonObject("extra").getJsonArray("lanyard.dev/cluster"))
          .isEqualTo(new JsonArray().add("edge"));
    }
  }

  @Test
  @DisplayName("an email tenant's files require email_verified and keep a number-like client id a string")
  void emailTenantWithNumberLikeClientId() throws Exception {
    Path data = dir.resolve("data");
    TestLanyard.start(data).close();
    Path file = dir.resolve("tenant.yaml");
    Files.writeString(file, """
        tenants:
          - id: mail
            settings:
              usernameFrom: email
        """);
    assertThat(Main.run("import", file.toString(), "--data-dir", data.toString())).isZero();
    Path out = dir.resolve("out");
    assertThat(Main.run("cluster", "add", "--tenant", "mail", "1e5", "--client-id", "12345",
        "--data-dir", data.toString(), "--out-dir", out.toString())).isZero();

    assertThat(Files.readAllLines(out.resolve(ClusterOnboarding.FLAGS_FILE)))
        .contains("--oidc-username-claim=email", "--oidc-client-id=12345");
    for (String version : List.of("v1beta1", "v1")) {
      // SnakeYAML's YAML 1.1 resolver, as strict as the API server's decoder: 12345 unquoted is an int.
      Map<String, Object> auth = new Yaml().load(Files.readString(out.resolve("authentication-config-" + version + ".yaml")));
      Map<?, ?> jwt = (Map<?, ?>) ((List<?>) auth.get("jwt")).get(0);
      assertThat(((Map<?, ?>) jwt.get("issuer")).get("audiences")).isEqualTo(List.of("12345"));
      assertThat(((Map<?, ?>) ((Map<?, ?>) jwt.get("claimMappings")).get("username")).get("claim")).isEqualTo("email");
      List<?> claimRules = (List<?>) jwt.get("claimValidationRules");
      assertThat(claimRules).hasSize(1);
      assertThat(((Map<?, ?>) claimRules.get(0)).get("expression"))
          .isEqualTo("!has(claims.email) || (has(claims.email_verified) && claims.email_verified == true)");
    }
  }

  @Test
  void unknownTenantAndTakenNameFail() {
    Path data = dir.resolve("data");
    TestLanyard.start(data).close();
    assertThat(Main.run("cluster", "add", "--tenant", "nope", "prod", "--data-dir", data.toString())).isEqualTo(1);
    assertThat(Main.run("cluster", "add", "--tenant", "default", "Bad_Name", "--data-dir", data.toString())).isEqualTo(1);
    assertThat(Main.run("cluster", "add", "--tenant", "default", "prod", "--data-dir", data.toString(),
        "--out-dir", dir.resolve("o").toString())).isZero();
    assertThat(Main.run("cluster", "add", "--tenant", "default", "prod", "--data-dir", data.toString(),
        "--out-dir", dir.resolve("o2").toString())).isEqualTo(1);
  }

  @Test
  void offlineRefusesJsonOutputBeforeWritingAnything() {
    Path data = dir.resolve("data");
    TestLanyard.start(data).close();
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    assertThat(Main.run(new java.io.PrintWriter(out), new java.io.PrintWriter(err), "cluster", "add", "--tenant",
        "default", "prod", "--data-dir", data.toString(), "-o", "json")).isEqualTo(2);
    assertThat(err.toString()).startsWith("-o json needs the admin API").contains("Usage: lanyard cluster add");
    assertThat(out.toString()).isEmpty();
    // Nothing was registered: the name is still free.
    assertThat(Main.run("cluster", "add", "--tenant", "default", "prod", "--data-dir", data.toString(),
        "--out-dir", dir.resolve("o").toString())).isZero();
  }

  @Test
  void clientCertificateWithAnOperatorsCertificateFailsBeforeWritingAnything() throws Exception {
    Path data = dir.resolve("data");
    TestLanyard.start(data).close();
    // Lanyard now serves an operator's certificate: it verifies no client certificates, so it issues none.
    dev.lanyard.idp.tls.TlsFiles operator = dev.lanyard.idp.tls.LocalCertificateAuthority.ensure(
        dir.resolve("operator-pki"), List.of("localhost"), java.time.Clock.systemUTC());
    Path config = dir.resolve("lanyard.yaml");
    Files.writeString(config, "tls:\n  certFile: " + operator.serverCert() + "\n  keyFile: " + operator.serverKey()
        + "\n");
    java.io.StringWriter err = new java.io.StringWriter();
    assertThat(Main.run(new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err), "cluster",
        "add", "--tenant", "default", "prod", "--client-certificate", "--config", config.toString(),
        "--data-dir", data.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("--client-certificate needs Lanyard's generated CA")
        .doesNotContain("Exception");
    try (TestLanyard lanyard = TestLanyard.start(data)) {
      List<dev.lanyard.storage.model.Cluster> clusters = lanyard.server().storage()
          .transactionBlocking(s -> s.clusters().list("default"));
      long created = lanyard.server().storage().transactionBlocking(s -> s.audit().count(
          new dev.lanyard.storage.model.AuditQuery("default", null, "cluster.create", null, null)));
      assertThat(clusters).isEmpty();
      assertThat(created).isZero();
    }
    // The name is still free: the same command without the certificate registers the cluster.
    String printed = capture(() -> assertThat(Main.run("cluster", "add", "--tenant", "default", "prod",
        "--config", config.toString(), "--data-dir", data.toString())).isZero());
    assertThat(printed).contains("Registered cluster 'prod'").contains("token: lyw_");
  }

  public static JsonObject review(SSLContext tls, String server, String bearer, String token) throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
    String body = new JsonObject().put("apiVersion", "authentication.k8s.io/v1").put("kind", "TokenReview")
        .put("spec", new JsonObject().put("token", token)).encode();
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server + "?timeout=30s"))
        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) b.header("Authorization", "Bearer " + bearer);
    HttpResponse<String> res = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return new JsonObject(res.body()).getJsonObject("status");
  }

  /** Trusts the base64 CA PEM; presents the base64 certificate and key when given, as a kubeconfig would. */
  public static SSLContext sslContext(String caData, String certData, String keyData) throws Exception {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("ca", cf.generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(caData))));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (certData != null) {
      Certificate cert = cf.generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(certData)));
      String pem = new String(Base64.getDecoder().decode(keyData), StandardCharsets.US_ASCII);
      byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("client", KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der)),
          new char[0], new Certificate[] {cert});
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, new char[0]);
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }

  public static String capture(Runnable action) {
    PrintStream original = System.out;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setOut(original);
    }
    return buffer.toString(StandardCharsets.UTF_8);
  }
}
