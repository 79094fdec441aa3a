package dev.lanyard.idp.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
  void publicUrlDefaultsToLocalhostAndLosesTrailingSlash() {
    assertThat(ConfigLoader.load(null, Map.of(), Map.of()).publicUrl()).isEqualTo("https://localhost:8443");
    assertThat(ConfigLoader.load(null, Map.of(), Map.of("server.publicUrl", "https://idp.example/")).publicUrl())
        .isEqualTo("https://idp.example");
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
}
