package dev.lanyard.idp.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.tls.IssuedCertificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Strings that a YAML 1.1 resolver reads as numbers, booleans, null or timestamps are quoted; others stay plain.
 * Read back with SnakeYAML's default (YAML 1.1) resolver, not Jackson's, which reads any scalar as a string when
 * asked for one.
 */
class KubeconfigYamlTest {
  /** Every form of the YAML 1.1 (and 1.2 core) int, float, bool, null and timestamp types. */
  static final List<String> NOT_STRINGS_WHEN_PLAIN = List.of(
      "12345", "0", "-1", "+1", "0755", "0o17", "09", "0x1F", "0b101", "1_000", "1:30", "190:20:30",
      "1.5", "1.", ".5", "1e5", "1E5", "1e+5", "1.5e-3", "1_000.5", "1:30.5", ".inf", "-.Inf", "+.INF", ".NaN", ".nan",
      "true", "True", "TRUE", "false", "tRuE", "yes", "Yes", "YES", "no", "y", "Y", "n", "N", "on", "On", "off",
      "OFF", "null", "Null", "NULL", "nUlL", "~", "",
      "2001-12-14", "2001-1-4", "2001-12-14t21:59:43.10-05:00", "2001-12-14T21:59:43Z", "2001-12-14 21:59:43.10 -5",
      "<<", "=");

  @Test
  @DisplayName("number-, boolean-, null- and date-looking strings come back as the same strings")
  void nonStringLookingValuesAreQuoted() {
    Map<String, Object> tree = new LinkedHashMap<>();
    for (int i = 0; i < NOT_STRINGS_WHEN_PLAIN.size(); i++) tree.put("k" + i, NOT_STRINGS_WHEN_PLAIN.get(i));
    tree.put("list", NOT_STRINGS_WHEN_PLAIN);
    String yaml = KubeconfigYaml.write(tree);

    Map<String, Object> back = new Yaml().load(yaml);
    for (int i = 0; i < NOT_STRINGS_WHEN_PLAIN.size(); i++) {
      assertThat(back.get("k" + i)).as("%s in%n%s", NOT_STRINGS_WHEN_PLAIN.get(i), yaml)
          .isEqualTo(NOT_STRINGS_WHEN_PLAIN.get(i));
    }
    assertThat(back.get("list")).as(yaml).isEqualTo(NOT_STRINGS_WHEN_PLAIN);
  }

  @Test
  @DisplayName("onboarding files and developer kubeconfigs keep number- and boolean-looking names strings")
  void onboardingOutputsKeepNamesStrings() {
    IssuedCertificate cert = new IssuedCertificate("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        "-----BEGIN PRIVATE KEY-----\nBBBB\n-----END PRIVATE KEY-----\n");
    String ca = "-----BEGIN CERTIFICATE-----\nCCCC\n-----END CERTIFICATE-----\n";
    // Client ids as Shapes.NAME allows them; cluster names and tenants as their rules allow them.
    List<String> clientIds = List.of("12345", "1e5", "0755", "0x1F", "1_000", "1:30", "true", "yes", "No", "null",
        "2001-12-14", "kubernetes");
    List<String> clusterNames = List.of("12345", "1e5", "1.5", "0755", "on", "null", "2001-12-14", "prod");
    for (int i = 0; i < clientIds.size(); i++) {
      String clientId = clientIds.get(i);
      String clusterName = clusterNames.get(i % clusterNames.size());
      String tenant = i % 2 == 0 ? "2001-12-14" : "12345";
      for (String claim : List.of("preferred_username", "email")) {
        ClusterOnboarding o = new ClusterOnboarding("https://id.example.com", tenant, clusterName, "lyw_x", ca, cert,
            clientId, claim);
        for (ClusterOnboarding.File f : o.files()) {
          if (!f.name().endsWith(".yaml")) continue;
          Map<String, Object> back = new Yaml().load(f.content());
          assertOnlyStrings(back, f.name() + " for client id " + clientId + ":\n" + f.content());
          if (f.name().startsWith("authentication-config")) {
            Map<?, ?> issuer = (Map<?, ?>) ((Map<?, ?>) ((List<?>) back.get("jwt")).get(0)).get("issuer");
            assertThat(issuer.get("audiences")).isEqualTo(List.of(clientId));
            assertThat(issuer.get("url")).isEqualTo("https://id.example.com/t/" + tenant);
          }
        }
      }
      for (boolean deviceCode : List.of(false, true)) {
        String yaml = new DeveloperKubeconfig("https://id.example.com/t/" + tenant, clientId, ca, clusterName,
            "https://10.0.0.1:6443", ca, deviceCode).yaml();
        Map<String, Object> back = new Yaml().load(yaml);
        assertOnlyStrings(back, "developer kubeconfig for cluster " + clusterName + ":\n" + yaml);
        assertThat(((Map<?, ?>) ((List<?>) back.get("clusters")).get(0)).get("name")).isEqualTo(clusterName);
        Map<?, ?> context = (Map<?, ?>) ((List<?>) back.get("contexts")).get(0);
        assertThat(context.get("name")).isEqualTo(clusterName);
        assertThat(((Map<?, ?>) context.get("context")).get("cluster")).isEqualTo(clusterName);
        assertThat(back.get("current-context")).isEqualTo(clusterName);
      }
    }
  }

  /** Every scalar in the tree is a string, except {@code provideClusterInfo}, which is a boolean on purpose. */
  private static void assertOnlyStrings(Object node, String where) {
    if (node instanceof Map<?, ?> map) {
      map.forEach((k, v) -> {
        assertThat(k).as(where).isInstanceOf(String.class);
        if (!"provideClusterInfo".equals(k)) assertOnlyStrings(v, where);
      });
    } else if (node instanceof List<?> list) {
      list.forEach(v -> assertOnlyStrings(v, where));
    } else {
      assertThat(node).as(where).isInstanceOf(String.class);
    }
  }

  @Test
  @DisplayName("ordinary strings stay plain")
  void ordinaryValuesStayPlain() {
    Map<String, Object> tree = new LinkedHashMap<>();
    List<String> plain = List.of("v1", "Config", "kubernetes", "https://id.example.com:8443/t/default", "1e5x",
        "1.2.3", "0x1G", "yesterday", "nobody", "2001-12-14x", "10s", "a1:30");
    for (int i = 0; i < plain.size(); i++) tree.put("k" + i, plain.get(i));
    String yaml = KubeconfigYaml.write(tree);
    for (int i = 0; i < plain.size(); i++) assertThat(yaml).contains("k" + i + ": " + plain.get(i) + "\n");
    Map<String, Object> back = new Yaml().load(yaml);
    assertThat(back.values()).containsExactlyElementsOf(plain);
  }
}
