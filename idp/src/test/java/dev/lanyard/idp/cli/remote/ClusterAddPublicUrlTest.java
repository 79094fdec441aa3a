package dev.lanyard.idp.cli.remote;

import static dev.lanyard.idp.cli.remote.RemoteCli.run;
import static dev.lanyard.idp.cli.remote.RemoteCli.runWithStdin;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.lanyard.idp.cli.remote.RemoteCli.Run;
import dev.lanyard.idp.k8s.ClusterOnboarding;
import dev.lanyard.idp.testing.TestLanyard;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lanyard cluster add} through the admin API of a Lanyard whose public URL is not the URL the command
 * line connects to (as behind a load balancer, or {@code --server https://127.0.0.1:PORT} on the host): the
 * files name the public URL, which the API server compares byte for byte with the ID tokens' {@code iss}.
 */
class ClusterAddPublicUrlTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final String PUBLIC_URL = "https://lanyard.example:8443";

  @TempDir
  static Path dir;

  static TestLanyard lanyard;
  static String local;
  static Path context;
  static String caPem;

  @BeforeAll
  static void start() throws Exception {
    lanyard = TestLanyard.start(dir.resolve("data"), Map.of("server.publicUrl", PUBLIC_URL));
    local = "https://127.0.0.1:" + lanyard.server().port();
    caPem = Files.readString(lanyard.server().caFile());
    context = dir.resolve("context.yaml");
    Run login = runWithStdin(TestLanyard.ADMIN_PASSWORD + "\n", "--server", local,
        "--cacert", lanyard.server().caFile().toString(), "--context", context.toString(),
        "login", "--tenant", "default", "--username", "admin", "--password-stdin");
    assertThat(login.exit()).as(login.toString()).isZero();
  }

  @AfterAll
  static void stop() {
    lanyard.close();
  }

  static Run ok(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--context";
    all[1] = context.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    Run r = run(all);
    assertThat(r.exit()).as(String.join(" ", args) + "\n" + r).isZero();
    return r;
  }

  /** The printed files: {@code ==> NAME <==} line, then the content up to the next such line. */
  static Map<String, String> sections(String out) {
    Map<String, String> files = new LinkedHashMap<>();
    Matcher m = Pattern.compile("^==> (\\S+) <==$", Pattern.MULTILINE).matcher(out);
    String name = null;
    int from = 0;
    while (m.find()) {
      if (name != null) files.put(name, out.substring(from, m.start()));
      name = m.group(1);
      from = m.end() + 1;
    }
    if (name != null) files.put(name, out.substring(from));
    return files;
  }

  /** What the API server checks against the ID tokens: discovery's issuer, fetched through the local URL. */
  static String discoveredIssuer(String tenant) {
    HttpResponse<String> res = lanyard.send(HttpRequest.newBuilder(
        URI.create(local + "/t/" + tenant + "/.well-known/openid-configuration")).GET());
    assertThat(res.statusCode()).isEqualTo(200);
    return new JsonObject(res.body()).getString("issuer");
  }

  static void assertNamesPublicUrl(Map<String, String> files, String tenant, String credential, String usernameClaim)
      throws Exception {
    String issuer = PUBLIC_URL + "/t/" + tenant;
    assertThat(discoveredIssuer(tenant)).isEqualTo(issuer);

    JsonNode kubeconfig = YAML.readTree(files.get(ClusterOnboarding.WEBHOOK_KUBECONFIG));
    JsonNode cluster = kubeconfig.path("clusters").get(0).path("cluster");
    assertThat(cluster.path("server").asText()).isEqualTo(issuer + "/tokenreview");
    assertThat(new String(Base64.getDecoder().decode(cluster.path("certificate-authority-data").asText()),
        StandardCharsets.US_ASCII)).isEqualTo(caPem);
    assertThat(kubeconfig.path("users").get(0).path("user").path("token").asText()).isEqualTo(credential);

    List<String> flags = files.get(ClusterOnboarding.FLAGS_FILE).lines().filter(l -> l.startsWith("--")).toList();
    assertThat(flags).contains("--oidc-issuer-url=" + issuer, "--oidc-username-claim=" + usernameClaim,
        "--authentication-token-webhook-version=v1", "--authentication-token-webhook-cache-ttl=10s");
    assertThat(String.join("\n", flags)).doesNotContain(local).doesNotContain("localhost");

    for (String version : List.of("v1", "v1beta1")) {
      JsonNode jwt = YAML.readTree(files.get("authentication-config-" + version + ".yaml")).path("jwt").get(0);
      assertThat(jwt.path("issuer").path("url").asText()).isEqualTo(issuer);
      assertThat(jwt.path("issuer").path("certificateAuthority").asText()).isEqualTo(caPem);
      assertThat(jwt.path("claimMappings").path("username").path("claim").asText()).isEqualTo(usernameClaim);
    }
    assertThat(files.get(ClusterOnboarding.CA_FILE)).isEqualTo(caPem);
  }

  @Test
  @DisplayName("without --out-dir: the credential, the webhook kubeconfig, flags and AuthenticationConfigurations, all naming the public URL")
  void printed() throws Exception {
    Run added = ok("cluster", "add", "--tenant", "default", "printed");
    String credential = added.out().lines().filter(l -> l.startsWith("credential:"))
        .map(l -> l.substring("credential:".length()).strip()).findFirst().orElseThrow();
    assertThat(credential).startsWith("lyw_");
    Map<String, String> files = sections(added.out());
    assertThat(files.keySet()).containsExactly(ClusterOnboarding.WEBHOOK_KUBECONFIG, ClusterOnboarding.FLAGS_FILE,
        "authentication-config-v1.yaml", "authentication-config-v1beta1.yaml", ClusterOnboarding.CA_FILE);
    assertNamesPublicUrl(files, "default", credential, "preferred_username");
    assertThat(added.err()).contains("shown only now");
  }

  @Test
  @DisplayName("-o json: one object with the credential, issuer, webhook URL and the files")
  void json() throws Exception {
    JsonObject added = ok("cluster", "add", "--tenant", "default", "as-json", "-o", "json").json();
    assertThat(added.getString("id")).isEqualTo("as-json");
    assertThat(added.getString("issuer")).isEqualTo(PUBLIC_URL + "/t/default");
    assertThat(added.getString("webhookUrl")).isEqualTo(PUBLIC_URL + "/t/default/tokenreview");
    Map<String, String> files = new LinkedHashMap<>();
    for (Object o : added.getJsonArray("files", new JsonArray())) {
      files.put(((JsonObject) o).getString("name"), ((JsonObject) o).getString("content"));
    }
    assertNamesPublicUrl(files, "default", added.getString("credential"), "preferred_username");
  }

  @Test
  @DisplayName("--out-dir writes the files naming the public URL, the kubeconfig 0600")
  void written() throws Exception {
    Path out = dir.resolve("written");
    Run added = ok("cluster", "add", "--tenant", "default", "written", "--out-dir", out.toString());
    String credential = added.out().lines().filter(l -> l.startsWith("credential:"))
        .map(l -> l.substring("credential:".length()).strip()).findFirst().orElseThrow();
    assertThat(added.err()).contains("wrote " + out.resolve(ClusterOnboarding.WEBHOOK_KUBECONFIG))
        .contains("--oidc-issuer-url=" + PUBLIC_URL + "/t/default");
    Map<String, String> files = new LinkedHashMap<>();
    try (var list = Files.list(out)) {
      for (Path p : list.toList()) files.put(p.getFileName().toString(), Files.readString(p));
    }
    assertNamesPublicUrl(files, "default", credential, "preferred_username");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
        out.resolve(ClusterOnboarding.WEBHOOK_KUBECONFIG)))).isEqualTo("rw-------");
  }

  @Test
  @DisplayName("a tenant naming users by email gets --oidc-username-claim=email, as in its AuthenticationConfiguration")
  void emailTenant() throws Exception {
    ok("tenant", "create", "mail");
    String token = Context.read(context).token();
    HttpResponse<String> res = lanyard.send(HttpRequest.newBuilder(URI.create(local + "/admin/api/v1/tenants/mail"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(new JsonObject()
            .put("settings", new JsonObject().put("usernameFrom", "email")).encode())));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    JsonObject added = ok("cluster", "add", "--tenant", "mail", "prod", "-o", "json").json();
    Map<String, String> files = new LinkedHashMap<>();
    for (Object o : added.getJsonArray("files")) {
      files.put(((JsonObject) o).getString("name"), ((JsonObject) o).getString("content"));
    }
    assertNamesPublicUrl(files, "mail", added.getString("credential"), "email");
  }

  @Test
  @DisplayName("an unknown --client-id fails before the cluster is registered")
  void unknownClient() {
    Run bad = run("--context", context.toString(), "cluster", "add", "--tenant", "default", "typo", "--client-id", "nope");
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.err()).startsWith("lanyard: Not Found: no client nope").hasLineCount(1);
    assertThat(ok("cluster", "list", "--tenant", "default").out()).doesNotContain("typo");
  }
}
