package dev.lanyard.idp.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanyard.discovery.DiscoveryDocument;
import dev.lanyard.discovery.DiscoveryMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  static final Path SHIPPED = Path.of("..", "conf", "lanyard.yaml");

  @TempDir
  Path dir;

  @Test
  @DisplayName("conf/lanyard.yaml names every key, each with its default value")
  void shippedFileDocumentsEveryKeyWithItsDefault() throws Exception {
    assertThat(ConfigLoader.load(SHIPPED, Map.of(), Map.of())).isEqualTo(LanyardConfig.defaults());
    String text = Files.readString(SHIPPED);
    for (String key : ConfigLoader.keysWithDefaults().keySet()) {
      String leaf = key.substring(key.lastIndexOf('.') + 1);
      assertThat(text).as("conf/lanyard.yaml documents %s", key).containsPattern("(?m)^\\s*" + leaf + ":");
    }
  }

  @Test
  void environmentOverridesFileAndCommandLineOverridesEnvironment() throws Exception {
    Path file = dir.resolve("c.yaml");
    Files.writeString(file, "server:\n  port: 9000\n  hostNames: [a.example]\ntokens:\n  idTokenLifetime: 5m\n");
    LanyardConfig c = ConfigLoader.load(file, Map.of("LANYARD_SERVER_PORT", "9100", "LANYARD_TOKENS_ID_TOKEN_LIFETIME",
        "15m", "LANYARD_HOST_NAMES", "x.example, y.example", "LANYARD_PASSWORDS_MEMORY_KIB", "8192"),
        Map.of("server.port", "9200"));
    assertThat(c.server().port()).isEqualTo(9200);
    assertThat(c.tokens().idTokenLifetime()).isEqualTo(Duration.ofMinutes(15));
    assertThat(c.server().hostNames()).containsExactly("x.example", "y.example");
    assertThat(c.passwords().memoryKib()).isEqualTo(8192);
  }

  @Test
  void environmentNames() {
    assertThat(ConfigLoader.environmentName("server.publicUrl")).isEqualTo("LANYARD_SERVER_PUBLIC_URL");
    assertThat(ConfigLoader.environmentName("dataDir")).isEqualTo("LANYARD_DATA_DIR");
    assertThat(ConfigLoader.environmentName("passwords.memoryKib")).isEqualTo("LANYARD_PASSWORDS_MEMORY_KIB");
  }

  @Test
  @DisplayName("an unknown key is refused with its path and line")
  void unknownKeyRefused() throws Exception {
    Path file = dir.resolve("c.yaml");
    Files.writeString(file, "server:\n  port: 9000\n  prot: 1\n");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("c.yaml:3")
        .hasMessageContaining("server.prot: unknown key 'prot'");
  }

  @Test
  void wrongTypeNamesTheKey() throws Exception {
    Path file = dir.resolve("c.yaml");
    Files.writeString(file, "tokens:\n  idTokenLifetime: soon\n");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
        .hasMessageContaining("tokens.idTokenLifetime").hasMessageContaining("not a duration");
  }

  @Test
  @DisplayName("every invalid value is reported at once")
  void allProblemsTogether() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("server.port", "70000",
        "keys.rsaBits", "1024", "server.publicUrl", "http://idp.example", "tls.certFile", "/x.pem",
        "tokens.idTokenLifetime", "48h", "bootstrap.tenant", "Not Valid")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(6))
        .hasMessageContaining("server.port").hasMessageContaining("keys.rsaBits")
        .hasMessageContaining("https").hasMessageContaining("tls.certFile")
        .hasMessageContaining("tokens.idTokenLifetime").hasMessageContaining("bootstrap.tenant");
  }

  @Test
  @DisplayName("audit.retention: 90d by default, settable from the environment; less than a day or more than 100 years is refused")
  void auditRetention() {
    assertThat(ConfigLoader.load(null, Map.of(), Map.of()).audit().retention()).isEqualTo(Duration.ofDays(90));
    assertThat(ConfigLoader.load(null, Map.of("LANYARD_AUDIT_RETENTION", "400d"), Map.of()).audit().retention())
        .isEqualTo(Duration.ofDays(400));
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("audit.retention", "12h")))
        .hasMessageContaining("audit.retention: must be 1d..36500d");
  }

  @Test
  @DisplayName("device.*: defaults 10m and 5s; a code lifetime outside 1m..1h or a fractional poll interval is refused")
  void deviceSettings() {
    LanyardConfig defaults = ConfigLoader.load(null, Map.of(), Map.of());
    assertThat(defaults.device().codeLifetime()).isEqualTo(Duration.ofMinutes(10));
    assertThat(defaults.device().pollInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(ConfigLoader.load(null, Map.of("LANYARD_DEVICE_POLL_INTERVAL", "10s"), Map.of()).device().pollInterval())
        .isEqualTo(Duration.ofSeconds(10));
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("device.codeLifetime", "2h",
        "device.pollInterval", "1500ms")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(2))
        .hasMessageContaining("device.codeLifetime").hasMessageContaining("device.pollInterval");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("device.pollInterval", "0s")))
        .hasMessageContaining("device.pollInterval");
  }

  @Test
  @DisplayName("tls.caFile (LANYARD_TLS_CA_FILE): with a configured certificate or TLS off, never with the generated one")
  void tlsCaFile() {
    assertThat(ConfigLoader.load(null, Map.of(), Map.of()).tls().caFile()).isEmpty();
    assertThat(ConfigLoader.load(null, Map.of("LANYARD_TLS_CA_FILE", "/pki/ca.pem"), Map.of("tls.certFile",
        "/pki/server.pem", "tls.keyFile", "/pki/server-key.pem")).tls().caFile()).isEqualTo("/pki/ca.pem");
    assertThat(ConfigLoader.load(null, Map.of(), Map.of("tls.enabled", "false", "tls.caFile", "/proxy/ca.pem"))
        .tls().caFile()).isEqualTo("/proxy/ca.pem");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("tls.caFile", "/pki/ca.pem")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(1))
        .hasMessageContaining("tls.caFile");
  }

  @Test
  void publicUrlDefaultsToLocalhostAndLosesTrailingSlash() {
    assertThat(ConfigLoader.load(null, Map.of(), Map.of()).publicUrl()).isEqualTo("https://localhost:8443");
    assertThat(ConfigLoader.load(null, Map.of(), Map.of("server.publicUrl", "https://idp.example/")).publicUrl())
        .isEqualTo("https://idp.example");
  }

  @Test
  @DisplayName("server.publicUrl that discovery would read differently (2+ trailing slashes, whitespace, user info,"
      + " query, fragment) is refused; an accepted one gives the discovery document's issuer byte for byte")
  void publicUrlReadsAlikeEverywhere() throws Exception {
    for (String bad : List.of("https://idp.example//", "https://idp.example/lanyard//", "https://idp.example///",
        " https://idp.example", "https://idp.example ", "https://idp.example/\t", "https://idp.example\u2003",
        "https://user@idp.example", "https://user:pw@idp.example/", "https://idp.example/?", "https://idp.example?a=b",
        "https://idp.example/#", "https://idp.example#f")) {
      assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("server.publicUrl", bad)))
          .as(bad).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(1))
          .hasMessageContaining("server.publicUrl");
    }
    // The same from a file and the environment.
    Path file = dir.resolve("c.yaml");
    Files.writeString(file, "server:\n  publicUrl: \"https://idp.example// \"\n");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of())).hasMessageContaining("server.publicUrl");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("LANYARD_PUBLIC_URL", "https://idp.example//"), Map.of()))
        .hasMessageContaining("server.publicUrl");

    for (String good : List.of("https://idp.example", "https://idp.example/", "https://idp.example:8443/lanyard/",
        "https://idp.example/a//b")) {
      String publicUrl = ConfigLoader.load(null, Map.of(), Map.of("server.publicUrl", good)).publicUrl();
      DiscoveryDocument discovery = new DiscoveryDocument(publicUrl, DiscoveryMetadata.builder().build());
      assertThat(discovery.publicUrl()).as(good).isEqualTo(publicUrl);
      assertThat(new DiscoveryDocument(good, DiscoveryMetadata.builder().build()).issuer("t"))
          .as(good).isEqualTo(publicUrl + "/t/t");
    }
  }

  @Test
  void missingFileIsAClearError() {
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.yaml"), Map.of(), Map.of()))
        .hasMessageContaining("does not exist");
  }

  @Test
  void durationsInEveryForm() {
    assertThat(DurationText.parse("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(DurationText.parse("PT10M")).isEqualTo(Duration.ofMinutes(10));
    assertThat(DurationText.parse("2d")).isEqualTo(Duration.ofDays(2));
    assertThat(DurationText.format(Duration.ofMinutes(10))).isEqualTo("10m");
    assertThat(DurationText.format(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThatThrownBy(() -> DurationText.parse("10 minutes")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("a duration longer than 100 years, or one overflowing a long, is refused as too long, never thrown as overflow")
  void hugeDurations() {
    assertThat(DurationText.parse("36500d")).isEqualTo(DurationText.MAX);
    assertThat(DurationText.parse("-PT876000H")).isEqualTo(DurationText.MAX.negated());
    for (String huge : new String[] {"36501d", "999999999d", "P999999999D", "PT2562047788015215H", "PT9999999999999999H",
        "PT9223372036854775807S", "-PT-9223372036854775808S", "PT-2562047788015215H", "P99999999999999999999D"}) {
      assertThatThrownBy(() -> DurationText.parse(huge)).as(huge).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("'" + huge + "' is too long: at most 36500d (100 years)");
    }
  }

  @Test
  @DisplayName("every duration key: an overflowing value is a configuration problem naming the key")
  void hugeDurationInEveryKey() {
    Map<String, String> durations = new java.util.LinkedHashMap<>();
    ConfigLoader.keysWithDefaults().forEach((key, value) -> {
      if (value.matches("\\d+(ms|s|m|h|d)")) durations.put(key, "PT2562047788015215H");
    });
    assertThat(durations).containsKeys("tokens.accessTokenLifetime", "login.sessionLifetime", "device.pollInterval");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), durations))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(durations.size()))
        .satisfies(e -> durations.keySet().forEach(k -> assertThat(e.getMessage()).contains(k + ": 'PT2562047788015215H' is too long")));
  }

  @Test
  @DisplayName("token lifetimes in the configuration: ID and access tokens at most 24h, refresh tokens at most 365d")
  void tokenLifetimeBounds() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("tokens.accessTokenLifetime", "25h",
        "tokens.refreshIdleLifetime", "366d", "tokens.refreshAbsoluteLifetime", "400d", "tokens.idTokenLifetime", "2d")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
            "tokens.idTokenLifetime: at most 1d (the kube-apiserver cannot revoke an ID token)",
            "tokens.accessTokenLifetime: at most 1d (longer sessions use refresh tokens)",
            "tokens.refreshIdleLifetime: at most 365d (sign in again at least yearly)",
            "tokens.refreshAbsoluteLifetime: at most 365d (sign in again at least yearly)"));
    LanyardConfig.Tokens t = ConfigLoader.load(null, Map.of(), Map.of("tokens.accessTokenLifetime", "24h",
        "tokens.refreshIdleLifetime", "365d", "tokens.refreshAbsoluteLifetime", "365d")).tokens();
    assertThat(t.refreshAbsoluteLifetime()).isEqualTo(Duration.ofDays(365));
  }

  @Test
  @DisplayName("lanyard serve with an overflowing duration in its file: one clear start-up error, no stack trace")
  void serveRefusesHugeDuration() throws Exception {
    Path file = dir.resolve("huge.yaml");
    Files.writeString(file, "dataDir: " + dir.resolve("data") + "\nlogin:\n  sessionLifetime: PT2562047788015215H\n");
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    int exit = dev.lanyard.idp.Main.run(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true),
        "serve", "--config", file.toString());
    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).startsWith("lanyard: invalid configuration:")
        .contains("login.sessionLifetime: 'PT2562047788015215H' is too long").doesNotContain("Exception")
        .doesNotContain("\tat ");
  }
}
