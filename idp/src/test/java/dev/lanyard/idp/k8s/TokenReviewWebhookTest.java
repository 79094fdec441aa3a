package dev.lanyard.idp.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.testing.ControlledStorage;
import dev.lanyard.idp.testing.TestLanyard;
import dev.lanyard.idp.tokens.TokenService;
import dev.lanyard.storage.model.Cluster;
import dev.lanyard.storage.model.OpaqueToken;
import dev.lanyard.storage.model.PrincipalType;
import dev.lanyard.storage.model.Robot;
import dev.lanyard.storage.model.TokenKind;
import dev.lanyard.storage.model.User;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The webhook driven with the JSON a kube-apiserver sends, over HTTPS, with its cluster credential. */
class TokenReviewWebhookTest {
  @TempDir
  static Path dir;

  static TestLanyard lanyard;
  static ControlledStorage storage;
  static TokenService tokens;
  static String prod;
  static String staging;
  static String otherTenantCluster;

  @BeforeAll
  static void start() throws Exception {
    Path data = TestLanyard.seeded(dir, """
        tenants:
          - id: default
            users:
              - {username: alice, email: alice@example.com, emailVerified: true, password: alice-password-123, groups: [dev, ops]}
              - {username: bob, password: bob-password-1234, groups: [dev]}
              - {username: carol, password: carol-password-123, groups: [ops]}
          - id: other
            users:
              - {username: alice, password: other-alice-password, groups: [elsewhere]}
        """);
    lanyard = TestLanyard.start(data, real -> storage = new ControlledStorage(real));
    tokens = lanyard.server().services().tokens();
    ClusterService clusters = lanyard.server().services().clusters();
    prod = clusters.register("default", "prod", "production", "test", null).await().credential();
    staging = clusters.register("default", "staging", null, "test", null).await().credential();
    otherTenantCluster = clusters.register("other", "prod", null, "test", null).await().credential();
  }

  @AfterAll
  static void stop() {
    lanyard.close();
  }

  static String userId(String tenant, String username) {
    return lanyard.server().storage().transactionBlocking(s -> s.users().findByUsername(tenant, username))
        .orElseThrow().id();
  }

  static TokenService.Minted mint(String tenant, PrincipalType type, String id, Duration ttl, List<String> clusters) {
    return tokens.mint(new TokenService.MintRequest(tenant, TokenKind.KUBERNETES, type, id, ttl, clusters, null),
        "test", null).await();
  }

  /** A user of tenant default in {@code groups} whom no other test uses, so no review has cached them yet. */
  static String freshUser(String... groups) {
    return lanyard.server().storage().transactionBlocking(s -> {
      Instant now = Instant.now();
      User u = new User("default", UUID.randomUUID().toString(), "u-" + UUID.randomUUID(), null, false, null, true,
          null, now, now);
      s.users().create(u);
      Set<String> ids = new java.util.HashSet<>();
      for (String g : groups) ids.add(s.groups().findByName("default", g).orElseThrow().id());
      s.groups().setGroupsOfUser("default", u.id(), ids);
      return u.id();
    });
  }

  static String userToken(String username) {
    return mint("default", PrincipalType.USER, userId("default", username), null, List.of()).secret();
  }

  /** Exactly what kube-apiserver 1.3x sends (it also appends ?timeout=30s to the configured URL). */
  static String body(String apiVersion, String token) {
    return new JsonObject().put("apiVersion", apiVersion).put("kind", "TokenReview")
        .put("metadata", new JsonObject().putNull("creationTimestamp"))
        .put("spec", new JsonObject().put("token", token)
            .put("audiences", new io.vertx.core.json.JsonArray().add("https://kubernetes.default.svc.cluster.local")))
        .put("status", new JsonObject().put("user", new JsonObject())).encode();
  }

  static HttpResponse<String> post(String tenant, String credential, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(lanyard.baseUrl() + "/t/" + tenant + "/tokenreview?timeout=30s"))
        .header("Content-Type", "application/json").header("Accept", "application/json, */*")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (credential != null) b.header("Authorization", "Bearer " + credential);
    return lanyard.send(b);
  }

  static JsonObject review(String credential, String apiVersion, String token) {
    return review("default", credential, apiVersion, token);
  }

  static JsonObject review(String tenant, String credential, String apiVersion, String token) {
    HttpResponse<String> res = post(tenant, credential, body(apiVersion, token));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    JsonObject answer = new JsonObject(res.body());
    assertThat(answer.getString("apiVersion")).isEqualTo(apiVersion);
    assertThat(answer.getString("kind")).isEqualTo("TokenReview");
    return answer.getJsonObject("status");
  }

  static boolean authenticated(String credential, String token) {
    return authenticated(credential, TokenReviewRequest.V1, token);
  }

  static boolean authenticated(String credential, String apiVersion, String token) {
    return review(credential, apiVersion, token).getBoolean("authenticated");
  }

  static List<Object> groups(String credential, String apiVersion, String token) {
    return review(credential, apiVersion, token).getJsonObject("user").getJsonArray("groups").getList();
  }

  @Test
  @DisplayName("v1: a valid token authenticates with username, uid, groups and extra naming tenant, cluster, token")
  void v1Authenticated() {
    TokenService.Minted minted = mint("default", PrincipalType.USER, userId("default", "alice"), null, List.of());
    JsonObject status = review(prod, TokenReviewRequest.V1, minted.secret());
    assertThat(status.getBoolean("authenticated")).isTrue();
    JsonObject user = status.getJsonObject("user");
    assertThat(user.getString("username")).isEqualTo("alice");
    assertThat(user.getString("uid")).isEqualTo(userId("default", "alice"));
    assertThat(user.getJsonArray("groups").getList()).containsExactly("dev", "ops");
    JsonObject extra = user.getJsonObject("extra");
    assertThat(extra.getJsonArray("lanyard.dev/tenant").getList()).containsExactly("default");
    assertThat(extra.getJsonArray("lanyard.dev/cluster").getList()).containsExactly("prod");
    assertThat(extra.getJsonArray("lanyard.dev/token-id").getList()).containsExactly(minted.token().id());
    // Not audience-bound: status.audiences is left out, which the API server reads as "your audiences".
    assertThat(status.containsKey("audiences")).isFalse();
    assertThat(status.containsKey("error")).isFalse();
  }

  @Test
  @DisplayName("v1beta1 (the API server's default) is answered in v1beta1")
  void v1beta1() {
    TokenService.Minted minted = mint("default", PrincipalType.USER, userId("default", "bob"), null, List.of());
    JsonObject status = review(prod, TokenReviewRequest.V1BETA1, minted.secret());
    assertThat(status.getBoolean("authenticated")).isTrue();
    JsonObject user = status.getJsonObject("user");
    assertThat(user.getString("username")).isEqualTo("bob");
    assertThat(user.getString("uid")).isEqualTo(userId("default", "bob"));
    assertThat(user.getJsonArray("groups").getList()).containsExactly("dev");
    JsonObject extra = user.getJsonObject("extra");
    assertThat(extra.fieldNames()).containsExactlyInAnyOrder(TokenReviewer.EXTRA_TENANT, TokenReviewer.EXTRA_CLUSTER,
        TokenReviewer.EXTRA_TOKEN_ID);
    assertThat(extra.getJsonArray(TokenReviewer.EXTRA_TENANT).getList()).containsExactly("default");
    assertThat(extra.getJsonArray(TokenReviewer.EXTRA_CLUSTER).getList()).containsExactly("prod");
    assertThat(extra.getJsonArray(TokenReviewer.EXTRA_TOKEN_ID).getList()).containsExactly(minted.token().id());
    assertThat(status.containsKey("audiences")).isFalse();
  }

  /** A v1 TokenReview of {@code token} with {@code spec.audiences} as given, or without it when null. */
  static String bodyWithAudiences(String token, List<String> audiences) {
    JsonObject spec = new JsonObject().put("token", token);
    if (audiences != null) spec.put("audiences", new io.vertx.core.json.JsonArray(audiences));
    return new JsonObject().put("apiVersion", TokenReviewRequest.V1).put("kind", "TokenReview").put("spec", spec)
        .encode();
  }

  @Test
  @DisplayName("audiences: absent, or not the API server's own, the answer is the same and leaves status.audiences out")
  void audiences() {
    String token = userToken("alice");
    // Lanyard tokens are bound to clusters, not audiences (README): status.audiences is always omitted, which
    // the API server reads as "valid for the audiences you asked", never an empty intersection.
    for (List<String> audiences : java.util.Arrays.asList(null, List.<String>of(), List.of("vault"),
        List.of("https://other.example", "vault"))) {
      HttpResponse<String> res = post("default", prod, bodyWithAudiences(token, audiences));
      assertThat(res.statusCode()).as("%s: %s", audiences, res.body()).isEqualTo(200);
      JsonObject status = new JsonObject(res.body()).getJsonObject("status");
      assertThat(status.getBoolean("authenticated")).as(String.valueOf(audiences)).isTrue();
      assertThat(status.containsKey("audiences")).as(String.valueOf(audiences)).isFalse();
      assertThat(status.containsKey("error")).isFalse();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {TokenReviewRequest.V1, TokenReviewRequest.V1BETA1})
  @DisplayName("revocation takes effect on the very next review")
  void revocation(String apiVersion) {
    TokenService.Minted minted = mint("default", PrincipalType.USER, userId("default", "bob"), null, List.of());
    assertThat(authenticated(prod, apiVersion, minted.secret())).isTrue();
    assertThat(tokens.revoke("default", minted.token().id(), "test", null).await()).isTrue();
    JsonObject status = review(prod, apiVersion, minted.secret());
    assertThat(status.getBoolean("authenticated")).isFalse();
    assertThat(status.containsKey("user")).isFalse();
    // A plain denial, which the API server caches for its TTL; status.error would make it an error instead.
    assertThat(status.containsKey("error")).isFalse();
    assertThat(status.fieldNames()).containsExactly("authenticated");
  }

  @ParameterizedTest
  @ValueSource(strings = {TokenReviewRequest.V1, TokenReviewRequest.V1BETA1})
  void expiredTokenIsRefused(String apiVersion) throws Exception {
    TokenService.Minted minted = mint("default", PrincipalType.USER, userId("default", "bob"), Duration.ofSeconds(1),
        List.of());
    assertThat(authenticated(prod, apiVersion, minted.secret())).isTrue();
    Thread.sleep(Duration.between(Instant.now(), minted.token().expiresAt()).toMillis() + 50);
    assertThat(authenticated(prod, apiVersion, minted.secret())).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {TokenReviewRequest.V1, TokenReviewRequest.V1BETA1})
  @DisplayName("disabling the user, or removing a group, takes effect on the next review")
  void principalChangesApplyAtOnce(String apiVersion) {
    String carol = freshUser("ops");
    String token = mint("default", PrincipalType.USER, carol, null, List.of()).secret();
    assertThat(groups(prod, apiVersion, token)).containsExactly("ops");
    lanyard.server().storage().transactionBlocking(s -> {
      String dev = s.groups().findByName("default", "dev").orElseThrow().id();
      s.groups().setGroupsOfUser("default", carol, Set.of(dev));
      ReviewInvalidation.principalChanged(s, "default", PrincipalType.USER, carol);
      return null;
    });
    assertThat(groups(prod, apiVersion, token)).containsExactly("dev");
    lanyard.server().storage().transactionBlocking(s -> {
      User u = s.users().find("default", carol).orElseThrow();
      s.users().update(new User(u.tenantId(), u.id(), u.username(), u.email(), u.emailVerified(), u.displayName(),
          false, u.passwordHash(), u.createdAt(), Instant.now()));
      ReviewInvalidation.principalChanged(s, "default", PrincipalType.USER, carol);
      return null;
    });
    assertThat(authenticated(prod, apiVersion, token)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {TokenReviewRequest.V1, TokenReviewRequest.V1BETA1})
  @DisplayName("a token bound to a cluster is refused when another cluster asks")
  void clusterBinding(String apiVersion) {
    String token = mint("default", PrincipalType.USER, userId("default", "bob"), null, List.of("staging")).secret();
    assertThat(authenticated(staging, apiVersion, token)).isTrue();
    assertThat(authenticated(prod, apiVersion, token)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {TokenReviewRequest.V1, TokenReviewRequest.V1BETA1})
  @DisplayName("a token of tenant A reviewed at tenant B is not authenticated")
  void wrongTenant(String apiVersion) {
    String token = userToken("alice");
    assertThat(review("other", otherTenantCluster, apiVersion, token).getBoolean("authenticated")).isFalse();
    String otherToken = mint("other", PrincipalType.USER, userId("other", "alice"), null, List.of()).secret();
    assertThat(authenticated(prod, apiVersion, otherToken)).isFalse();
    JsonObject theirs = review("other", otherTenantCluster, apiVersion, otherToken);
    assertThat(theirs.getJsonObject("user").getJsonArray("groups").getList()).containsExactly("elsewhere");
  }

  @Test
  @DisplayName("a robot authenticates with the robot prefix and its groups")
  void robot() {
    String robotId = lanyard.server().storage().transactionBlocking(s -> {
      Instant now = Instant.now();
      Robot r = new Robot("default", java.util.UUID.randomUUID().toString(), "ci-pipeline", "CI", true, now, now);
      s.robots().create(r);
      s.robots().setGroups("default", r.id(), Set.of(s.groups().findByName("default", "ops").orElseThrow().id()));
      return r.id();
    });
    JsonObject user = review(prod, TokenReviewRequest.V1,
        mint("default", PrincipalType.ROBOT, robotId, null, List.of()).secret()).getJsonObject("user");
    assertThat(user.getString("username")).isEqualTo("robot:ci-pipeline");
    assertThat(user.getString("uid")).isEqualTo(robotId);
    assertThat(user.getJsonArray("groups").getList()).containsExactly("ops");
  }

  @Test
  @DisplayName("no, a wrong, or another tenant's credential: 401, whatever the token")
  void callerMustBeTheCluster() {
    String token = userToken("alice");
    for (String credential : new String[] {null, "garbage", "lyw_" + "A".repeat(49), otherTenantCluster, token}) {
      HttpResponse<String> res = post("default", credential, body(TokenReviewRequest.V1, token));
      assertThat(res.statusCode()).as("credential %s", credential).isEqualTo(401);
      assertThat(res.body()).doesNotContain("authenticated");
    }
  }

  /**
   * Sends {@code head} (a request's head without its body, {@code Expect: 100-continue}) over HTTP/1.1, then
   * {@code body} once a {@code 100 Continue} arrives (when not null), and returns all that the server sends
   * until it closes the connection.
   */
  static String exchange(String head, byte[] body) throws Exception {
    URI base = URI.create(lanyard.baseUrl());
    try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) TestLanyard.trusting(lanyard.server().caFile())
        .getSocketFactory().createSocket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000); // a server waiting for the body fails the test here
      socket.getOutputStream().write(head.replace("{host}", base.getAuthority()).getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      java.io.InputStream in = socket.getInputStream();
      String received = "";
      if (body != null) {
        byte[] interim = new byte["HTTP/1.1 100 Continue\r\n\r\n".length()];
        int n = 0;
        while (n < interim.length) {
          int r = in.read(interim, n, interim.length - n);
          if (r < 0) break;
          n += r;
        }
        received = new String(interim, 0, n, StandardCharsets.US_ASCII);
        if (received.startsWith("HTTP/1.1 100")) {
          socket.getOutputStream().write(body);
          socket.getOutputStream().flush();
        }
      }
      return received + new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static String head(String path, String authorization, long contentLength) {
    return "POST " + path + " HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
        + "Content-Length: " + contentLength + "\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n";
  }

  @Test
  @DisplayName("a caller without the credential gets 401 before its body is read: no 100 Continue, no 2 MiB buffered")
  void unauthenticatedBodyIsNeverRead() throws Exception {
    // No credential; a malformed one; and a well-formed one of another tenant, which is looked up in the database.
    for (String authorization : java.util.Arrays.asList(null, "Bearer garbage", "Bearer " + otherTenantCluster)) {
      for (String path : List.of("/t/default/tokenreview", "/t/default/tokenreview/", "/t/%64efault/tokenreview")) {
        String answer = exchange(head(path, authorization, 2 * 1024 * 1024), null);
        assertThat(answer).as("%s, %s", path, authorization).startsWith("HTTP/1.1 401 ").doesNotContain("100 Continue");
        assertThat(answer).contains("\"kind\":\"Status\"").contains("\"code\":401");
      }
    }
    // The cluster itself is asked for its body, and answered.
    byte[] review = body(TokenReviewRequest.V1, userToken("alice")).getBytes(StandardCharsets.UTF_8);
    for (String path : List.of("/t/default/tokenreview", "/t/default/tokenreview/")) {
      String answer = exchange(head(path, "Bearer " + prod, review.length), review);
      assertThat(answer).as(path).startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 ");
      assertThat(answer).contains("\"authenticated\":true");
    }
  }

  @Test
  @DisplayName("a database that stops answering while the caller is looked up: 500 InternalError after the deadline")
  void callerLookupStalled() throws Exception {
    ClusterService clusters = lanyard.server().services().clusters();
    String credential = clusters.register("default", "slow-lookup", null, "test", null).await().credential();
    ControlledStorage.Hold read = storage.holdNext(r -> r instanceof Optional<?> o
        && o.orElse(null) instanceof Cluster c && c.id().equals("slow-lookup"));
    CompletableFuture<HttpResponse<String>> review = reviewInBackground(credential, userToken("bob"));
    read.awaitCaught(Duration.ofSeconds(10));
    HttpResponse<String> res = review.get(TokenReviewWebhook.REVIEW_DEADLINE_MILLIS + 10_000, TimeUnit.MILLISECONDS);
    assertRetryLater(res);
    read.release();
    assertThat(authenticated(credential, userToken("bob"))).isTrue();
  }

  /** The answer the API server's webhook client retries: a 500 Status of reason InternalError with a delay. */
  static void assertRetryLater(HttpResponse<String> res) {
    assertThat(res.statusCode()).as(res.body()).isEqualTo(500);
    JsonObject status = new JsonObject(res.body());
    assertThat(status.getString("kind")).isEqualTo("Status");
    assertThat(status.getString("reason")).isEqualTo("InternalError");
    assertThat(status.getInteger("code")).isEqualTo(500);
    assertThat(status.getJsonObject("details").getInteger("retryAfterSeconds")).isEqualTo(1);
    assertThat(res.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(res.body()).doesNotContain("authenticated").doesNotContain("Exception");
  }

  @Test
  @DisplayName("garbage, truncated, empty, 1 MB and non-UTF-8 tokens: a quick denial")
  void badTokensAreDenied() {
    String good = userToken("alice");
    for (String token : new String[] {"", "garbage", good.substring(0, good.length() - 1), good + "x",
        flipOneCharacter(good), "lyk_" + "é".repeat(49), "\u0000\u00ff\ufffd", "x".repeat(1_000_000)}) {
      long t0 = System.nanoTime();
      assertThat(authenticated(prod, token)).as("token of length %d", token.length()).isFalse();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }
    // Raw bytes that are not UTF-8 inside the JSON string.
    HttpResponse<String> res = lanyard.send(HttpRequest.newBuilder(URI.create(lanyard.baseUrl() + "/t/default/tokenreview"))
        .header("Authorization", "Bearer " + prod).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(concat(
            "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":{\"token\":\"",
            new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xc3}, "\"}}"))));
    // Jackson refuses the bytes while reading the string: the body is malformed, as JSON must be UTF-8 (RFC 8259).
    assertThat(res.statusCode()).as(res.body()).isEqualTo(400);
    JsonObject status = new JsonObject(res.body());
    assertThat(status.getString("kind")).isEqualTo("Status");
    assertThat(status.getString("reason")).isEqualTo("BadRequest");
    assertThat(res.body()).doesNotContain("authenticated").doesNotContain("Exception");
  }

  private static String flipOneCharacter(String token) {
    int i = token.length() / 2;
    return token.substring(0, i) + (token.charAt(i) == 'A' ? 'B' : 'A') + token.substring(i + 1);
  }

  private static byte[] concat(String a, byte[] b, String c) {
    byte[] x = a.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] z = c.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] out = new byte[x.length + b.length + z.length];
    System.arraycopy(x, 0, out, 0, x.length);
    System.arraycopy(b, 0, out, x.length, b.length);
    System.arraycopy(z, 0, out, x.length + b.length, z.length);
    return out;
  }

  @Test
  @DisplayName("malformed bodies: 400 with a Status, never a stack trace")
  void malformedBodies() {
    for (String bad : new String[] {"", "not json", "[1,2]", "\"text\"", "{}",
        "{\"apiVersion\":\"authentication.k8s.io/v2\",\"kind\":\"TokenReview\",\"spec\":{\"token\":\"x\"}}",
        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"Pod\",\"spec\":{\"token\":\"x\"}}",
        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\"}"}) {
      HttpResponse<String> res = post("default", prod, bad);
      assertThat(res.statusCode()).as(bad).isEqualTo(400);
      assertThat(new JsonObject(res.body()).getString("kind")).isEqualTo("Status");
      assertThat(res.body()).doesNotContain("Exception");
    }
  }

  @Test
  @DisplayName("bodies Jackson reads as broken UTF-32 (00 00 00 7B ..., truncated, invalid code point): 400, not 500")
  void undecodableBodies() {
    byte[][] bodies = {{0, 0, 0, '{', 0, 0}, {0, 0, 0, '{', 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}};
    for (byte[] bad : bodies) {
      HttpResponse<String> res = lanyard.send(HttpRequest.newBuilder(URI.create(lanyard.baseUrl()
              + "/t/default/tokenreview?timeout=30s"))
          .header("Authorization", "Bearer " + prod).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(bad)));
      assertThat(res.statusCode()).as(res.body()).isEqualTo(400);
      assertThat(res.headers().firstValue("Retry-After")).isEmpty();
      assertThat(new JsonObject(res.body()).getString("kind")).isEqualTo("Status");
    }
  }

  @Test
  @DisplayName("a body without Content-Length (chunked) is read whole; one over the 2 MiB limit gets 413")
  void chunkedAndOversizeBodies() {
    byte[] review = body(TokenReviewRequest.V1, userToken("alice")).getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> chunked = lanyard.send(HttpRequest.newBuilder(
            URI.create(lanyard.baseUrl() + "/t/default/tokenreview?timeout=30s"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + prod)
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(review))));
    assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(200);
    assertThat(new JsonObject(chunked.body()).getJsonObject("status").getBoolean("authenticated")).isTrue();

    HttpResponse<String> oversize = post("default", prod, "x".repeat(3 * 1024 * 1024));
    assertThat(oversize.statusCode()).isEqualTo(413);
  }

  @Test
  @DisplayName("the direct path (HTTP/1.1 and HTTP/2, 100-continue) and the router's path answer alike")
  void directAndRoutedPathsAnswerAlike() {
    String token = userToken("alice");
    byte[] review = body(TokenReviewRequest.V1, token).getBytes(StandardCharsets.UTF_8);
    for (java.net.http.HttpClient.Version version : java.net.http.HttpClient.Version.values()) {
      for (boolean expectContinue : List.of(false, true)) {
        HttpResponse<String> res = lanyard.send(HttpRequest.newBuilder(
                URI.create(lanyard.baseUrl() + "/t/default/tokenreview?timeout=30s"))
            .version(version).expectContinue(expectContinue)
            .header("Content-Type", "application/json").header("Authorization", "Bearer " + prod)
            .POST(HttpRequest.BodyPublishers.ofByteArray(review)));
        assertThat(res.statusCode()).as("%s, 100-continue %s: %s", version, expectContinue, res.body()).isEqualTo(200);
        assertThat(new JsonObject(res.body()).getJsonObject("status").getBoolean("authenticated")).isTrue();
        // The headers every Lanyard answer carries, though this one never went through the router.
        assertThat(res.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(res.headers().firstValue("Strict-Transport-Security")).isPresent();
        assertThat(res.headers().firstValue("Cache-Control")).contains("no-store");
      }
    }
    // A trailing slash and a percent-encoded tenant id are not for the direct path: the router answers them,
    // alike, whatever the Content-Type.
    for (String path : List.of("/t/default/tokenreview/", "/t/%64efault/tokenreview")) {
      for (String type : List.of("application/json", "application/x-www-form-urlencoded", "text/plain")) {
        for (boolean expectContinue : List.of(false, true)) {
          HttpResponse<String> res = lanyard.send(HttpRequest.newBuilder(URI.create(lanyard.baseUrl() + path))
              .version(java.net.http.HttpClient.Version.HTTP_1_1).expectContinue(expectContinue)
              .header("Content-Type", type).header("Authorization", "Bearer " + prod)
              .POST(HttpRequest.BodyPublishers.ofByteArray(review)));
          String what = path + ", " + type + ", 100-continue " + expectContinue + ": " + res.body();
          assertThat(res.statusCode()).as(what).isEqualTo(200);
          assertThat(new JsonObject(res.body()).getJsonObject("status").getBoolean("authenticated")).as(what).isTrue();
        }
      }
      HttpResponse<String> oversize = lanyard.send(HttpRequest.newBuilder(URI.create(lanyard.baseUrl() + path))
          .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", "Bearer " + prod)
          .POST(HttpRequest.BodyPublishers.ofString("x".repeat(3 * 1024 * 1024))));
      assertThat(oversize.statusCode()).as(path).isEqualTo(413);
      assertThat(new JsonObject(oversize.body()).getString("kind")).as(path).isEqualTo("Status");
      HttpResponse<String> unauthenticated = lanyard.send(HttpRequest.newBuilder(URI.create(lanyard.baseUrl() + path))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(review)));
      assertThat(unauthenticated.statusCode()).as(path).isEqualTo(401);
      assertThat(new JsonObject(unauthenticated.body()).getString("kind")).as(path).isEqualTo("Status");
    }
    // Other methods are the router's too: no GET route, so 404 or 405, never a review.
    HttpResponse<String> get = lanyard.send(HttpRequest.newBuilder(
        URI.create(lanyard.baseUrl() + "/t/default/tokenreview")).header("Authorization", "Bearer " + prod).GET());
    assertThat(get.statusCode()).isIn(404, 405);
  }

  @Test
  @DisplayName("which paths the direct endpoint takes")
  void directPathShapes() {
    assertThat(TokenReviewWebhook.tenantOf("/t/default/tokenreview")).isEqualTo("default");
    assertThat(TokenReviewWebhook.tenantOf("/t/team-a_2/tokenreview")).isEqualTo("team-a_2");
    for (String path : new String[] {null, "", "/t//tokenreview", "/t/tokenreview", "/t/a/b/tokenreview",
        "/t/%2e%2e/tokenreview", "/t/../tokenreview", "/t/a.b/tokenreview", "/t/default/tokenreview/",
        "/t/default/tokenreviews", "/x/default/tokenreview", "/t/déf/tokenreview"}) {
      assertThat(TokenReviewWebhook.tenantOf(path)).as(String.valueOf(path)).isNull();
    }
  }

  /** Starts a review that the test will hold inside storage; its answer arrives later. */
  static CompletableFuture<HttpResponse<String>> reviewInBackground(String credential, String token) {
    return CompletableFuture.supplyAsync(() -> post("default", credential, body(TokenReviewRequest.V1, token)));
  }

  @Test
  @DisplayName("revoked while a review's read of the token is under way: the read is not cached, the next review refuses")
  void revocationDuringARead() throws Exception {
    TokenService.Minted minted = mint("default", PrincipalType.USER, userId("default", "bob"), null, List.of());
    ControlledStorage.Hold read = storage.holdNext(r -> r instanceof Optional<?> o
        && o.orElse(null) instanceof OpaqueToken t && t.id().equals(minted.token().id()));
    CompletableFuture<HttpResponse<String>> first = reviewInBackground(prod, minted.secret());
    read.awaitCaught(Duration.ofSeconds(10)); // the active token has been read; its review waits
    assertThat(tokens.revoke("default", minted.token().id(), "test", null).await()).isTrue();
    read.release();
    assertThat(first.get().statusCode()).isEqualTo(200); // it began before the revocation: either answer is right
    assertThat(authenticated(prod, minted.secret())).isFalse();
  }

  @Test
  @DisplayName("a group removed while a review reads the user: the next review no longer lists it")
  void groupRemovalDuringARead() throws Exception {
    String user = freshUser("dev", "ops");
    String token = mint("default", PrincipalType.USER, user, null, List.of()).secret();
    ControlledStorage.Hold read = storage.holdNext(r -> r instanceof Optional<?> o
        && o.orElse(null) instanceof Principal p && p.uid().equals(user));
    CompletableFuture<HttpResponse<String>> first = reviewInBackground(prod, token);
    read.awaitCaught(Duration.ofSeconds(10));
    lanyard.server().storage().transactionBlocking(s -> {
      s.groups().setGroupsOfUser("default", user, Set.of(s.groups().findByName("default", "dev").orElseThrow().id()));
      ReviewInvalidation.principalChanged(s, "default", PrincipalType.USER, user);
      return null;
    });
    read.release();
    assertThat(first.get().statusCode()).isEqualTo(200);
    assertThat(groups(prod, TokenReviewRequest.V1, token)).containsExactly("dev");
  }

  @Test
  @DisplayName("a cluster's credential rotated while a review reads the cluster: the old credential gets 401 next")
  void credentialRotationDuringARead() throws Exception {
    ClusterService clusters = lanyard.server().services().clusters();
    String old = clusters.register("default", "rotating", null, "test", null).await().credential();
    ControlledStorage.Hold read = storage.holdNext(r -> r instanceof Optional<?> o
        && o.orElse(null) instanceof Cluster c && c.id().equals("rotating"));
    CompletableFuture<HttpResponse<String>> first = reviewInBackground(old, userToken("bob"));
    read.awaitCaught(Duration.ofSeconds(10));
    String rotated = clusters.rotateCredential("default", "rotating", "test", null).await().credential();
    read.release();
    assertThat(first.get().statusCode()).isEqualTo(200);
    assertThat(post("default", old, body(TokenReviewRequest.V1, userToken("bob"))).statusCode()).isEqualTo(401);
    assertThat(authenticated(rotated, userToken("bob"))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {TokenReviewRequest.V1, TokenReviewRequest.V1BETA1})
  @DisplayName("database unreachable: a 500 Status the API server retries (reason InternalError), never a denial")
  void databaseUnreachable(String apiVersion) {
    String known = userToken("alice");
    assertThat(authenticated(prod, apiVersion, known)).isTrue();
    String unseen = userToken("bob");
    storage.unreachable(true);
    try {
      assertRetryLater(post("default", prod, body(apiVersion, unseen)));
      // What is already in memory needs no database.
      assertThat(authenticated(prod, apiVersion, known)).isTrue();
    } finally {
      storage.unreachable(false);
    }
    assertThat(authenticated(prod, apiVersion, unseen)).isTrue();
  }

  @Test
  @DisplayName("a database that stops answering: the retried 500 after the review deadline, not a hang")
  void databaseStalled() throws Exception {
    TokenService.Minted minted = mint("default", PrincipalType.USER, userId("default", "bob"), null, List.of());
    ControlledStorage.Hold read = storage.holdNext(r -> r instanceof Optional<?> o
        && o.orElse(null) instanceof OpaqueToken t && t.id().equals(minted.token().id()));
    long t0 = System.nanoTime();
    CompletableFuture<HttpResponse<String>> review = reviewInBackground(prod, minted.secret());
    read.awaitCaught(Duration.ofSeconds(10));
    HttpResponse<String> res = review.get(TokenReviewWebhook.REVIEW_DEADLINE_MILLIS + 10_000, TimeUnit.MILLISECONDS);
    long millis = (System.nanoTime() - t0) / 1_000_000;
    assertRetryLater(res);
    assertThat(millis).isBetween(TokenReviewWebhook.REVIEW_DEADLINE_MILLIS - 100,
        TokenReviewWebhook.REVIEW_DEADLINE_MILLIS + 5_000);
    // The API server tries up to 5 times within its own 60 s request deadline: 5 tries of 10 s came near it.
    assertThat(TokenReviewWebhook.REVIEW_DEADLINE_MILLIS).isLessThanOrEqualTo(3_000);
    read.release(); // the read returns late: its answer has nobody to go to, and nothing breaks
    assertThat(authenticated(prod, minted.secret())).isTrue();
  }

  @Test
  @DisplayName("last use is recorded in the background, without a write per review")
  void lastUsedRecorded() throws Exception {
    TokenService.Minted minted = mint("default", PrincipalType.USER, userId("default", "bob"), null, List.of());
    assertThat(authenticated(prod, minted.secret())).isTrue();
    Instant deadline = Instant.now().plus(LastUsedRecorder.INTERVAL.multipliedBy(3));
    OpaqueToken stored;
    do {
      Thread.sleep(200);
      stored = lanyard.server().storage().transactionBlocking(s -> s.tokens().find("default", minted.token().id()))
          .orElseThrow();
    } while (stored.lastUsedAt() == null && Instant.now().isBefore(deadline));
    assertThat(stored.lastUsedAt()).isNotNull();
  }
}
