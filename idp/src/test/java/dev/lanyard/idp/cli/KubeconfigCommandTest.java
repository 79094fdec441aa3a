package dev.lanyard.idp.cli;

import static dev.lanyard.idp.cli.ClusterAddCommandTest.capture;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.lanyard.idp.Main;
import dev.lanyard.idp.testing.TestLanyard;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lanyard kubeconfig}: the kubeconfig's kubelogin arguments reach the running tenant as kubelogin would. */
class KubeconfigCommandTest {
  private static final YAMLMapper YAML = new YAMLMapper();

  @TempDir
  Path dir;

  @Test
  void browserAndDeviceVariantsPointKubeloginAtTheTenant() throws Exception {
    Path data = dir.resolve("data");
    try (TestLanyard lanyard = TestLanyard.start(data)) {
      Path config = dir.resolve("lanyard.yaml");
      Files.writeString(config, "server:\n  publicUrl: " + lanyard.baseUrl() + "\n");
      Path clusterCa = dir.resolve("cluster-ca.pem");
      Files.copy(data.resolve("tls/ca.pem"), clusterCa); // any PEM certificate stands in for the cluster's CA

      JsonNode browser = YAML.readTree(capture(() -> assertThat(Main.run("kubeconfig", "--config", config.toString(),
          "--data-dir", data.toString(), "--cluster-server", "https://10.0.0.1:6443", "--cluster-ca",
          clusterCa.toString())).isZero()));
      assertThat(browser.path("current-context").asText()).isEqualTo("default");
      JsonNode cluster = browser.path("clusters").get(0).path("cluster");
      assertThat(cluster.path("server").asText()).isEqualTo("https://10.0.0.1:6443");
      assertThat(new String(Base64.getDecoder().decode(cluster.path("certificate-authority-data").asText()),
          StandardCharsets.US_ASCII)).isEqualTo(Files.readString(clusterCa));
      JsonNode exec = browser.path("users").get(0).path("user").path("exec");
      assertThat(exec.path("apiVersion").asText()).isEqualTo("client.authentication.k8s.io/v1");
      assertThat(exec.path("command").asText()).isEqualTo("kubectl");
      List<String> args = strings(exec.path("args"));
      assertThat(args).startsWith("oidc-login", "get-token")
          .contains("--oidc-issuer-url=" + lanyard.issuer("default"), "--oidc-client-id=kubernetes",
              "--oidc-extra-scope=groups", "--oidc-extra-scope=offline_access")
          .noneMatch(a -> a.startsWith("--grant-type"));

      // kubelogin's first request: discovery, over TLS checked against the CA the kubeconfig carries.
      String issuer = value(args, "--oidc-issuer-url=");
      Path issuerCa = dir.resolve("issuer-ca.pem");
      Files.write(issuerCa, Base64.getDecoder().decode(value(args, "--certificate-authority-data=")));
      HttpClient http = HttpClient.newBuilder().sslContext(TestLanyard.trusting(issuerCa)).build();
      HttpResponse<String> discovery = http.send(HttpRequest.newBuilder(
          URI.create(issuer + "/.well-known/openid-configuration")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(discovery.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(discovery.body()).getString("issuer")).isEqualTo(issuer);

      JsonNode device = YAML.readTree(capture(() -> assertThat(Main.run("kubeconfig", "--config", config.toString(),
          "--data-dir", data.toString(), "--tenant", "default", "--cluster-server", "https://10.0.0.1:6443",
          "--cluster-name", "prod", "--device-code")).isZero()));
      assertThat(device.path("current-context").asText()).isEqualTo("prod");
      assertThat(device.path("clusters").get(0).path("cluster").has("certificate-authority-data")).isFalse();
      assertThat(strings(device.path("users").get(0).path("user").path("exec").path("args")))
          .contains("--grant-type=device-code", "--oidc-issuer-url=" + issuer);
    }
  }

  @Test
  void badInputGetsOneClearMessage() throws Exception {
    Path notPem = dir.resolve("not.pem");
    Files.writeString(notPem, "hello");
    assertThat(run("kubeconfig", "--data-dir", dir.toString(), "--cluster-server", "http://10.0.0.1:6443"))
        .startsWith("1:").contains("--cluster-server").doesNotContain("Exception");
    assertThat(run("kubeconfig", "--data-dir", dir.toString(), "--cluster-server", "https://k", "--tenant", "Bad Id"))
        .startsWith("1:").contains("--tenant");
    assertThat(run("kubeconfig", "--data-dir", dir.toString(), "--cluster-server", "https://k", "--cluster-ca",
        notPem.toString())).startsWith("1:").contains("not a PEM certificate");
    assertThat(run("kubeconfig", "--data-dir", dir.toString())).startsWith("2:").contains("--cluster-server");
  }

  /** "exit code: standard error". */
  private static String run(String... args) {
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), args);
    return code + ": " + err;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static String value(List<String> args, String prefix) {
    return args.stream().filter(a -> a.startsWith(prefix)).findFirst().orElseThrow().substring(prefix.length());
  }
}
