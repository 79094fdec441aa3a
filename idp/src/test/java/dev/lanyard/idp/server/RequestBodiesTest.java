package dev.lanyard.idp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a form body decodes: as browsers and OAuth clients encode it, and 400 for a broken escape. */
class RequestBodiesTest {

  private static MultiMap decode(String body) {
    return RequestBodies.decodeForm(Buffer.buffer(body));
  }

  @Test
  void decodesPlusPercentEscapesAndUtf8() {
    MultiMap form = decode("grant_type=pass+word&username=%61lice&password=gr%C3%BCn%20%2B%26%3D");
    assertThat(form.get("grant_type")).isEqualTo("pass word");
    assertThat(form.get("username")).isEqualTo("alice");
    assertThat(form.get("password")).isEqualTo("grün +&=");
  }

  @Test
  void keepsRepeatedAndEmptyFieldsForTheEndpointToJudge() {
    MultiMap form = decode("scope=a&scope=b&nonce=&flag");
    assertThat(form.getAll("scope")).isEqualTo(List.of("a", "b"));
    assertThat(form.get("nonce")).isEmpty();
    assertThat(form.contains("flag")).isTrue();
  }

  @Test
  void onlyAmpersandSeparatesFields() {
    assertThat(decode("state=a;b&x=1").get("state")).isEqualTo("a;b");
  }

  @Test
  void anEmptyBodyIsAnEmptyForm() {
    assertThat(decode("").isEmpty()).isTrue();
  }

  @Test
  void manyFieldsAreAllKept() {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 3_000; i++) body.append("f").append(i).append("=v&");
    body.append("grant_type=password&grant_type=client_credentials");
    MultiMap form = decode(body.toString());
    assertThat(form.getAll("grant_type")).hasSize(2);
    assertThat(form.size()).isEqualTo(3_001);
  }

  @Test
  void brokenEscapesAreMalformed() {
    for (String body : List.of("grant_type=%zz", "username=a%", "password=%4", "a%2=b")) {
      assertThatThrownBy(() -> decode(body)).as(body).isInstanceOf(RequestBodies.MalformedForm.class)
          .hasMessageContaining("application/x-www-form-urlencoded");
    }
  }
}
