package dev.lanyard.idp.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RedirectUrisTest {
  static final List<String> REGISTERED = List.of("https://app.example/cb?x=1", "http://127.0.0.1:8000/callback",
      "http://localhost:8000", RedirectUris.OOB);

  @Test
  @DisplayName("exact match for everything but loopback; loopback ports may vary (RFC 8252 §7.3)")
  void matching() {
    assertThat(RedirectUris.matches(REGISTERED, "https://app.example/cb?x=1")).isTrue();
    assertThat(RedirectUris.matches(REGISTERED, "https://app.example/cb?x=2")).isFalse();
    assertThat(RedirectUris.matches(REGISTERED, "https://app.example/cb?x=1&y=2")).isFalse();
    assertThat(RedirectUris.matches(REGISTERED, "https://APP.example/cb?x=1")).isFalse();
    assertThat(RedirectUris.matches(REGISTERED, "https://app.example:443/cb?x=1")).isFalse();
    assertThat(RedirectUris.matches(REGISTERED, RedirectUris.OOB)).isTrue();
    assertThat(RedirectUris.matches(REGISTERED, "http://127.0.0.1:1/callback")).isTrue();
    assertThat(RedirectUris.matches(REGISTERED, "http://[::1]:65535/callback")).isTrue();
    assertThat(RedirectUris.matches(REGISTERED, "http://127.0.0.1/callback")).isTrue();
    assertThat(RedirectUris.matches(REGISTERED, "http://localhost:18000/")).isTrue();
    assertThat(RedirectUris.matches(REGISTERED, "http://127.0.0.1:18000")).isTrue();
    assertThat(RedirectUris.matches(REGISTERED, "http://127.0.0.1:1/callback/")).isFalse();
    assertThat(RedirectUris.matches(REGISTERED, "http://127.0.0.1:1/callback?a=b")).isFalse();
    assertThat(RedirectUris.matches(REGISTERED, "https://127.0.0.1:8000/callback")).isFalse();
    assertThat(RedirectUris.matches(REGISTERED, "http://127.0.0.1:8000/callback#f")).isFalse();
    assertThat(RedirectUris.matches(REGISTERED, "http://localhost.example:8000")).isFalse();
    assertThat(RedirectUris.matches(REGISTERED, "http://x@127.0.0.1:8000/callback")).isFalse();
    assertThat(RedirectUris.matches(REGISTERED, null)).isFalse();
    // A requested localhost needs a registered localhost.
    assertThat(RedirectUris.matches(List.of("http://127.0.0.1:8000/cb"), "http://localhost:8000/cb")).isFalse();
  }
}
