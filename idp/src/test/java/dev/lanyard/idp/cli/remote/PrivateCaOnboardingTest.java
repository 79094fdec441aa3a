package dev.lanyard.idp.cli.remote;

import static dev.lanyard.idp.cli.remote.RemoteCli.run;
import static dev.lanyard.idp.cli.remote.RemoteCli.runWithStdin;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.lanyard.idp.cli.ClusterAddCommandTest;
import dev.lanyard.idp.cli.remote.RemoteCli.Run;
import dev.lanyard.idp.k8s.ClusterOnboarding;
import dev.lanyard.idp.testing.TestLanyard;
import dev.lanyard.idp.tls.LocalCertificateAuthority;
import dev.lanyard.idp.tls.TlsFiles;
import dev.lanyard.idp.tokens.TokenService;
import dev.lanyard.storage.model.PrincipalType;
import dev.lanyard.storage.model.TokenKind;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lanyard serving an operator's certificate from a private CA ({@code tls.certFile}/{@code tls.keyFile}, with
 * {@code tls.caFile} naming that CA): every onboarding output carries the CA, so it works as it is: through the
 * admin API and the command line online, and offline.
 */
class PrivateCaOnboardingTest {
  private static final YAMLMapper YAML = new YAMLMapper();

  @TempDir
  Path dir;

  @Test
  @DisplayName("tls.caFile is in the webhook kubeconfig, --oidc-ca-file, the AuthenticationConfigurations and ca.pem")
  void onboardingCarriesThePrivateCa() throws Exception {
    // The operator's private CA and the serving certificate it signed (for localhost and loopback).
    TlsFiles operator = LocalCertificateAuthority.ensure(dir.resolve("operator-pki"), List.of("localhost"),
        Clock.systemUTC());
    String caPem = Files.readString(operator.caCert());
    Path data = dir.resolve("data");
    Map<String, String> tls = Map.of("tls.certFile", operator.serverCert().toString(),
        "tls.keyFile", operator.serverKey().toString(), "tls.caFile", operator.caCert().toString());
    String credential;
    try (TestLanyard lanyard = TestLanyard.start(data, tls)) {
      assertThat(lanyard.server().caFile()).isEqualTo(operator.caCert());
      assertThat(data.resolve("tls/ca.pem")).doesNotExist();
      String server = lanyard.baseUrl();
      Path context = dir.resolve("context.yaml");
      Run login = runWithStdin(TestLanyard.ADMIN_PASSWORD + "\n", "--server", server,
          "--cacert", operator.caCert().toString(), "--context", context.toString(),
          "login", "--tenant", "default", "--username", "admin", "--password-stdin");
      assertThat(login.exit()).as(login.toString()).isZero();

      // Online: lanyard cluster add through the admin API's onboarding files.
      Run added = run("--context", context.toString(), "cluster", "add", "--tenant", "default", "prod", "-o", "json");
      assertThat(added.exit()).as(added.toString()).isZero();
      JsonObject json = added.json();
      credential = json.getString("credential");
      Map<String, String> files = new LinkedHashMap<>();
      json.getJsonArray("files").forEach(o -> files.put(((JsonObject) o).getString("name"),
          ((JsonObject) o).getString("content")));
      assertCarriesCa(files, caPem);

      // The webhook kubeconfig works as it is: its CA data verifies the server, its credential the caller.
      JsonNode cluster = YAML.readTree(files.get(ClusterOnboarding.WEBHOOK_KUBECONFIG)).path("clusters").get(0)
          .path("cluster");
      String adminId = lanyard.server().storage()
          .transactionBlocking(s -> s.users().findByUsername("default", "admin")).orElseThrow().id();
      String token = lanyard.server().services().tokens().mint(new TokenService.MintRequest("default",
          TokenKind.KUBERNETES, PrincipalType.USER, adminId, null, List.of(), null), "test", null).await().secret();
      JsonObject status = ClusterAddCommandTest.review(ClusterAddCommandTest.sslContext(
          cluster.path("certificate-authority-data").asText(), null, null), cluster.path("server").asText(),
          credential, token);
      assertThat(status.getBoolean("authenticated")).isTrue();

      // The console's overview offers the CA for download.
      JsonObject overview = new JsonObject(lanyard.get("/admin/api/v1/overview", "Authorization",
          "Bearer " + Context.read(context).token()).body());
      assertThat(overview.getJsonObject("health").getString("caPem")).isEqualTo(caPem);
    }

    // Offline, on the stopped server's data directory and configuration.
    Path config = dir.resolve("lanyard.yaml");
    Files.writeString(config, """
        tls:
          certFile: %s
          keyFile: %s
          caFile: %s
        """.formatted(operator.serverCert(), operator.serverKey(), operator.caCert()));
    String printed = ClusterAddCommandTest.capture(() -> assertThat(dev.lanyard.idp.Main.run("cluster", "add",
        "--tenant", "default", "edge", "--config", config.toString(), "--data-dir", data.toString())).isZero());
    assertCarriesCa(ClusterAddPublicUrlTest.sections(printed), caPem);

    String kubeconfig = ClusterAddCommandTest.capture(() -> assertThat(dev.lanyard.idp.Main.run("kubeconfig",
        "--cluster-server", "https://10.0.0.1:6443", "--config", config.toString(), "--data-dir", data.toString()))
        .isZero());
    JsonNode issuerCa = YAML.readTree(kubeconfig).path("users").get(0).path("user").path("exec").path("args");
    assertThat(issuerCa.toString()).contains("--certificate-authority-data="
        + Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII)));
  }

  /** Every file that names a CA names the private one. */
  static void assertCarriesCa(Map<String, String> files, String caPem) throws Exception {
    JsonNode cluster = YAML.readTree(files.get(ClusterOnboarding.WEBHOOK_KUBECONFIG)).path("clusters").get(0)
        .path("cluster");
    assertThat(new String(Base64.getDecoder().decode(cluster.path("certificate-authority-data").asText()),
        StandardCharsets.US_ASCII)).isEqualTo(caPem);
    assertThat(files.get(ClusterOnboarding.FLAGS_FILE).lines().filter(l -> l.startsWith("--")).toList())
        .contains("--oidc-ca-file=/etc/kubernetes/lanyard/" + ClusterOnboarding.CA_FILE);
    for (String version : List.of("v1", "v1beta1")) {
      JsonNode jwt = YAML.readTree(files.get("authentication-config-" + version + ".yaml")).path("jwt").get(0);
      assertThat(jwt.path("issuer").path("certificateAuthority").asText()).isEqualTo(caPem);
    }
    assertThat(files.get(ClusterOnboarding.CA_FILE)).isEqualTo(caPem);
  }
}
