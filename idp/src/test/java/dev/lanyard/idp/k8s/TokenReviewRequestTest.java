package dev.lanyard.idp.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TokenReviewRequestTest {
  private static TokenReviewRequest parse(String json) {
    return TokenReviewRequest.parse(Buffer.buffer(json));
  }

  @Test
  void parsesWhatTheApiServerSends() {
    TokenReviewRequest v1 = parse("""
        {"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","metadata":{"creationTimestamp":null},
         "spec":{"token":"lyk_abc","audiences":["https://kubernetes.default.svc"]},"status":{"user":{}}}""");
    assertThat(v1.apiVersion()).isEqualTo(TokenReviewRequest.V1);
    assertThat(v1.token()).isEqualTo("lyk_abc");
    assertThat(v1.audiences()).containsExactly("https://kubernetes.default.svc");
    TokenReviewRequest beta = parse("""
        {"apiVersion":"authentication.k8s.io/v1beta1","kind":"TokenReview","spec":{"token":"t"}}""");
    assertThat(beta.apiVersion()).isEqualTo(TokenReviewRequest.V1BETA1);
    assertThat(beta.audiences()).isEmpty();
  }

  @Test
  @DisplayName("a token longer than any of ours is read as empty (denied as malformed), not built into a string")
  void overlongTokenIsNotMaterialised() {
    String max = "x".repeat(TokenReviewRequest.MAX_TOKEN_LENGTH);
    String body = "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":{\"token\":\"%s\"}}";
    assertThat(parse(body.formatted(max)).token()).isEqualTo(max);
    assertThat(parse(body.formatted(max + "x")).token()).isEmpty();
    assertThat(parse(body.formatted("x".repeat(1_000_000))).token()).isEmpty();
  }

  @Test
  void refusesWhatItCannotBe() {
    for (String bad : new String[] {"", "not json", "[]", "42", "null", "{}",
        "{\"apiVersion\":\"authentication.k8s.io/v2\",\"kind\":\"TokenReview\",\"spec\":{}}",
        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SubjectAccessReview\",\"spec\":{}}",
        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\"}",
        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":[]}",
        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":{\"token\":5}}",
        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":{\"audiences\":\"x\"}}",
        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":{\"audiences\":[1]}}",
        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":{}} trailing",
        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":{\"token\":\"t\""}) {
      assertThatThrownBy(() -> parse(bad)).as(bad).isInstanceOf(TokenReviewRequest.Malformed.class);
    }
  }

  @Test
  @DisplayName("bytes that are no text in any encoding JSON allows (Jackson guesses UTF-32 from 00 00 00 7B): Malformed")
  void refusesUndecodableBytes() {
    byte[][] bodies = {
        {0, 0, 0, '{'}, // UTF-32BE "{", then the end: not JSON
        {0, 0, 0, '{', 0, 0}, // truncated in the middle of a UTF-32 character
        {0, 0, 0, '{', 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}, // a code point beyond U+10FFFF
        {'{', 0, 0, 0, '"', 0, 0, 0, 0, 0, 0x11, 0}, // UTF-32LE with an invalid code point
    };
    for (byte[] body : bodies) {
      assertThatThrownBy(() -> TokenReviewRequest.parse(Buffer.buffer(body)))
          .as(java.util.HexFormat.ofDelimiter(" ").formatHex(body)).isInstanceOf(TokenReviewRequest.Malformed.class);
    }
  }

  @Test
  void answersInTheVersionAsked() {
    var yes = new io.vertx.core.json.JsonObject(TokenReviewResponse.authenticated(TokenReviewRequest.V1BETA1, "alice", "u1", java.util.List.of("dev"),
        java.util.Map.of("lanyard.dev/tenant", java.util.List.of("prod")), java.util.List.of()));
    assertThat(yes.getString("apiVersion")).isEqualTo(TokenReviewRequest.V1BETA1);
    assertThat(yes.getJsonObject("status").containsKey("audiences")).isFalse();
    assertThat(yes.getJsonObject("status").getJsonObject("user").getJsonObject("extra")
        .getJsonArray("lanyard.dev/tenant").getString(0)).isEqualTo("prod");
    var no = new io.vertx.core.json.JsonObject(TokenReviewResponse.denied(TokenReviewRequest.V1));
    assertThat(no.getJsonObject("status").getBoolean("authenticated")).isFalse();
    assertThat(no.getJsonObject("status").containsKey("error")).isFalse();
  }
}
