package dev.lanyard.idp.k8s;

import static dev.lanyard.idp.k8s.TokenReviewWebhookTest.body;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.testing.TestLanyard;
import dev.lanyard.idp.tokens.OpaqueTokenFormat;
import dev.lanyard.storage.model.AuditEvent;
import dev.lanyard.storage.model.AuditQuery;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failed reviews are audited, and a flood of them (a guesser) costs one row per kind and window, plus a count. */
class WebhookFailureAuditTest {
  @TempDir
  Path dir;

  @Test
  @DisplayName("50 guessed tokens and 20 calls without a credential: one event each at once, then one count")
  void guessesAreAuditedWithoutARowEach() throws Exception {
    try (TestLanyard lanyard = TestLanyard.start(dir.resolve("data"))) {
      String credential = lanyard.server().services().clusters()
          .register("default", "prod", null, "test", null).await().credential();
      for (int i = 0; i < 50; i++) {
        HttpResponse<String> res = post(lanyard, credential, OpaqueTokenFormat.KUBERNETES.generate());
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(res.body()).getJsonObject("status").getBoolean("authenticated")).isFalse();
      }
      for (int i = 0; i < 20; i++) {
        assertThat(post(lanyard, null, OpaqueTokenFormat.KUBERNETES.generate()).statusCode()).isEqualTo(401);
      }

      List<AuditEvent> denied = awaitEvents(lanyard, "tokenreview.denied", 1);
      assertThat(denied).singleElement().satisfies(e -> {
        assertThat(e.actor()).isEqualTo("cluster:prod");
        assertThat(e.outcome()).isEqualTo("failure");
        assertThat(new JsonObject(e.details()).getString("reason")).isEqualTo("unknown token");
      });
      assertThat(awaitEvents(lanyard, null, "tokenreview.unauthenticated", 1)).singleElement().satisfies(e -> {
        assertThat(e.tenantId()).isNull(); // the URL's word only
        assertThat(new JsonObject(e.details()).getString("tenant")).isEqualTo("default");
      });

      // The window's count is stored when the window ends, or when the webhook closes.
      lanyard.server().services().webhook().close().await();
      denied = events(lanyard, "tokenreview.denied");
      assertThat(denied).hasSize(2);
      assertThat(new JsonObject(denied.get(0).details()).getLong("repeated")).isEqualTo(49);
      List<AuditEvent> anonymous = events(lanyard, null, "tokenreview.unauthenticated");
      assertThat(anonymous).hasSize(2);
      assertThat(new JsonObject(anonymous.get(0).details()).getLong("repeated")).isEqualTo(19);
    }
  }

  @Test
  @DisplayName("made-up tenants in the URL: one event per address and reason, plus a count, however many tenants")
  void madeUpTenantsShareAWindow() throws Exception {
    try (TestLanyard lanyard = TestLanyard.start(dir.resolve("data"))) {
      for (int i = 0; i < 100; i++) {
        String tenant = "t" + UUID.randomUUID().toString().replace("-", "");
        String credential = i % 2 == 0 ? null : OpaqueTokenFormat.WEBHOOK.generate();
        assertThat(post(lanyard, tenant, credential, OpaqueTokenFormat.KUBERNETES.generate()).statusCode()).isEqualTo(401);
      }
      assertThat(awaitEvents(lanyard, null, "tokenreview.unauthenticated", 2)).hasSize(2)
          .allSatisfy(e -> assertThat(e.tenantId()).isNull());
      lanyard.server().services().webhook().close().await();
      List<AuditEvent> events = events(lanyard, null, "tokenreview.unauthenticated");
      assertThat(events).hasSize(4);
      assertThat(events.stream().map(e -> new JsonObject(e.details()))
          .filter(d -> d.containsKey("repeated")).mapToLong(d -> d.getLong("repeated")).sum()).isEqualTo(98);
    }
  }

  @Test
  @DisplayName("malformed tokens are audited too: one event, then one count")
  void malformedTokensAreAudited() throws Exception {
    try (TestLanyard lanyard = TestLanyard.start(dir.resolve("data"))) {
      String credential = lanyard.server().services().clusters()
          .register("default", "prod", null, "test", null).await().credential();
      String good = OpaqueTokenFormat.KUBERNETES.generate();
      String[] malformed = {"", "garbage", good.substring(0, good.length() - 1), good + "x", "x".repeat(10_000)};
      for (int i = 0; i < 30; i++) {
        HttpResponse<String> res = post(lanyard, "default", credential, malformed[i % malformed.length]);
        assertThat(new JsonObject(res.body()).getJsonObject("status").getBoolean("authenticated")).isFalse();
      }
      assertThat(awaitEvents(lanyard, "default", "tokenreview.denied", 1)).singleElement().satisfies(e -> {
        assertThat(e.actor()).isEqualTo("cluster:prod");
        assertThat(new JsonObject(e.details()).getString("reason")).isEqualTo("malformed token");
      });
      lanyard.server().services().webhook().close().await();
      List<AuditEvent> denied = events(lanyard, "default", "tokenreview.denied");
      assertThat(denied).hasSize(2);
      assertThat(new JsonObject(denied.get(0).details()).getLong("repeated")).isEqualTo(29);
    }
  }

  private static HttpResponse<String> post(TestLanyard lanyard, String credential, String token) {
    return post(lanyard, "default", credential, token);
  }

  private static HttpResponse<String> post(TestLanyard lanyard, String tenant, String credential, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(lanyard.baseUrl() + "/t/" + tenant + "/tokenreview?timeout=30s"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body("authentication.k8s.io/v1", token)));
    if (credential != null) b.header("Authorization", "Bearer " + credential);
    return lanyard.send(b);
  }

  private static List<AuditEvent> events(TestLanyard lanyard, String action) {
    return events(lanyard, "default", action);
  }

  /** Newest first; {@code tenant} null for every tenant's and process-wide events. */
  private static List<AuditEvent> events(TestLanyard lanyard, String tenant, String action) {
    return lanyard.server().storage().transactionBlocking(s ->
        s.audit().query(new AuditQuery(tenant, null, action, null, null), 0, 1000));
  }

  private static List<AuditEvent> awaitEvents(TestLanyard lanyard, String action, int atLeast) throws Exception {
    return awaitEvents(lanyard, "default", action, atLeast);
  }

  /** Audit rows of failures are written without delaying the answer: wait for them a little. */
  private static List<AuditEvent> awaitEvents(TestLanyard lanyard, String tenant, String action, int atLeast)
      throws Exception {
    for (int i = 0; i < 50; i++) {
      List<AuditEvent> found = events(lanyard, tenant, action);
      if (found.size() >= atLeast) return found;
      Thread.sleep(100);
    }
    return events(lanyard, tenant, action);
  }
}
