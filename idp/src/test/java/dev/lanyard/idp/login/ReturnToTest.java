package dev.lanyard.idp.login;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReturnToTest {
  @Test
  @DisplayName("only paths on the tenant; nothing a browser could read as another host or tenant")
  void validate() {
    assertThat(ReturnTo.validate("t1", "/t/t1/authorize?client_id=a&redirect_uri=http%3A%2F%2F127.0.0.1"))
        .isNotNull();
    assertThat(ReturnTo.validate("t1", "/t/t1/device")).isEqualTo("/t/t1/device");
    for (String bad : new String[] {"https://evil.example/t/t1/", "//evil.example/t/t1/", "/t/t2/authorize",
        "/t/t1", "/t/t1/../t2/x", "/t/t1/./x", "/t/t1/%2e%2e/x/../../t2", "/\\evil", "/t/t1/\\x", "/t/t1/a b",
        "/t/t1/a\nb", "/t/t1/x#frag", "", "t/t1/x"}) {
      assertThat(ReturnTo.validate("t1", bad)).as(bad).isNull();
    }
    assertThat(ReturnTo.validate("t1", "/t/t1/" + "a".repeat(9_000))).isNull();
  }
}
