package dev.lanyard.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanyard.storage.model.KeyState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DiscoveryDocumentTest {
  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

  @Test
  @DisplayName("only the token endpoint: other endpoints are absent (not null), response_types_supported is []")
  void minimalMetadata() {
    DiscoveryMetadata metadata = DiscoveryMetadata.builder().tokenEndpoint("/token")
        .grantTypes(List.of("client_credentials")).build();
    JsonObject doc = new DiscoveryDocument("https://idp.example.com", metadata).render("dev", List.of(), NOW);

    assertThat(doc.fieldNames()).containsExactlyInAnyOrder("issuer", "token_endpoint", "jwks_uri",
        "response_types_supported", "grant_types_supported", "subject_types_supported",
        "id_token_signing_alg_values_supported");
    assertThat(doc.getString("issuer")).isEqualTo("https://idp.example.com/t/dev");
    assertThat(doc.getString("token_endpoint")).isEqualTo("https://idp.example.com/t/dev/token");
    assertThat(doc.getJsonArray("response_types_supported")).isEqualTo(new JsonArray());
    // No published key yet: the configured fallback is advertised.
    assertThat(doc.getJsonArray("id_token_signing_alg_values_supported")).isEqualTo(new JsonArray().add("RS256"));
    assertThat(doc.encode()).doesNotContain("null");
  }

  @Test
  @DisplayName("public URL is normalised once: trailing slashes go, a path prefix stays")
  void normalisesPublicUrl() {
    DiscoveryMetadata metadata = DiscoveryMetadata.builder().build();
    assertThat(new DiscoveryDocument("https://idp.example.com//", metadata).issuer("a")).isEqualTo("https://idp.example.com/t/a");
    assertThat(new DiscoveryDocument("https://example.com:8443/lanyard/", metadata).issuer("a"))
        .isEqualTo("https://example.com:8443/lanyard/t/a");
    assertThatThrownBy(() -> new DiscoveryDocument("idp.example.com", metadata)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DiscoveryDocument("https://idp.example.com/?x=1", metadata))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("endpoint paths must be relative to the issuer")
  void rejectsAbsoluteEndpoints() {
    assertThatThrownBy(() -> DiscoveryMetadata.builder().tokenEndpoint("https://evil.example/token").build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DiscoveryMetadata.builder().tokenEndpoint("//evil.example/token").build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("signing algorithms come from the published keys, in JWKS order, without duplicates")
  void algorithmsFromKeys() {
    var rsa = TestKeys.rsa();
    var ec = TestKeys.ec("secp256r1");
    var keys = List.of(
        TestKeys.key("dev", "old", "RS256", rsa, KeyState.PUBLISHED, NOW),
        TestKeys.key("dev", "new", "ES256", ec, KeyState.ACTIVE, NOW),
        TestKeys.key("dev", "other", "RS256", rsa, KeyState.PUBLISHED, NOW),
        TestKeys.retired("dev", "gone", rsa, NOW.minusSeconds(7200), NOW.minusSeconds(3600)));
    JsonObject doc = new DiscoveryDocument("https://idp.example.com", DiscoveryMetadata.builder().build())
        .render("dev", keys, NOW);
    assertThat(doc.getJsonArray("id_token_signing_alg_values_supported")).isEqualTo(new JsonArray().add("ES256").add("RS256"));
  }
}
