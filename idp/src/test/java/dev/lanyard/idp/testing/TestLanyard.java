package dev.lanyard.idp.testing;

import dev.lanyard.idp.config.ConfigLoader;
import dev.lanyard.idp.config.LanyardConfig;
import dev.lanyard.idp.server.LanyardServer;
import dev.lanyard.storage.Storage;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real Lanyard for tests: started in-process on a free port over HTTPS with its generated CA, on an H2 file
 * in the given data directory. Its HTTP client is the JDK's, trusting only that CA, with host name checks.
 */
public final class TestLanyard implements AutoCloseable {
  public static final String ADMIN_PASSWORD = "admin-password-for-tests";

  private final LanyardServer server;
  private final HttpClient http;
  private final String banner;
  private final ByteArrayOutputStream output;

  private TestLanyard(LanyardServer server, ByteArrayOutputStream output) {
    this.server = server;
    this.output = output;
    this.banner = output.toString(StandardCharsets.UTF_8);
    this.http = HttpClient.newBuilder().sslContext(trusting(server.caFile()))
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** Starts on {@code dataDir} with fast argon2 parameters; {@code settings} are extra dotted config keys. */
  public static TestLanyard start(Path dataDir, Map<String, String> settings) {
    return start(dataDir, settings, Map.of());
  }

  /** As {@link #start(Path, Map)}, with extra process environment (e.g. {@code LANYARD_MASTER_KEY}). */
  public static TestLanyard start(Path dataDir, Map<String, String> settings, Map<String, String> env) {
    return start(dataDir, settings, env, Clock.systemUTC());
  }

  /** As {@link #start(Path, Map)}, on a clock the test controls (e.g. {@link MutableClock}). */
  public static TestLanyard start(Path dataDir, Map<String, String> settings, Clock clock) {
    return start(dataDir, settings, Map.of(), clock);
  }

  /** As {@link #start(Path, Map, Map)} on the given clock (e.g. a {@link MutableClock}). */
  public static TestLanyard start(Path dataDir, Map<String, String> settings, Map<String, String> env, Clock clock) {
    return start(dataDir, settings, env, clock, UnaryOperator.identity());
  }

  /** As {@link #start(Path)}, every service on {@code wrap} of the storage (e.g. a {@link ControlledStorage}). */
  public static TestLanyard start(Path dataDir, UnaryOperator<Storage> wrap) {
    return start(dataDir, Map.of(), Map.of(), Clock.systemUTC(), wrap);
  }

  private static TestLanyard start(Path dataDir, Map<String, String> settings, Map<String, String> env, Clock clock,
      UnaryOperator<Storage> wrap) {
    Map<String, String> overrides = new LinkedHashMap<>(testSettings(dataDir));
    overrides.putAll(settings);
    LanyardConfig config = ConfigLoader.load(null, Map.of(), overrides);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Map<String, String> processEnv = new HashMap<>(env);
    processEnv.put("LANYARD_ADMIN_PASSWORD", ADMIN_PASSWORD);
    LanyardServer server = LanyardServer.start(config, processEnv, new PrintStream(out, true, StandardCharsets.UTF_8),
        clock, wrap);
    return new TestLanyard(server, out);
  }

  public static TestLanyard start(Path dataDir) {
    return start(dataDir, Map.of());
  }

  /**
   * A data directory {@code dir/data} after a first start (tenant {@code default}, admin, CA) and a
   * {@code lanyard import} of {@code importYaml}; start a server on it with one of the {@code start} methods.
   */
  public static Path seeded(Path dir, String importYaml) {
    Path data = dir.resolve("data");
    start(data).close();
    Path file = dir.resolve("import.yaml");
    try {
      java.nio.file.Files.writeString(file, importYaml);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    int exit = dev.lanyard.idp.Main.run("import", file.toString(), "--data-dir", data.toString());
    if (exit != 0) throw new IllegalStateException("lanyard import of the test data failed with exit code " + exit);
    return data;
  }

  /** Settings every test server uses: port 0 and argon2 cheap enough for a test suite. */
  public static Map<String, String> testSettings(Path dataDir) {
    Map<String, String> s = new HashMap<>();
    s.put("dataDir", dataDir.toString());
    s.put("server.port", "0");
    s.put("server.host", "127.0.0.1");
    s.put("server.eventLoops", "2");
    s.put("passwords.memoryKib", "8192");
    s.put("passwords.iterations", "1");
    return s;
  }

  public LanyardServer server() {
    return server;
  }

  /** What the server printed to its standard output by the time it was started. */
  public String banner() {
    return banner;
  }

  /** Everything the server printed to its standard output so far: the banner, then its audit lines. */
  public String output() {
    return output.toString(StandardCharsets.UTF_8);
  }

  public String baseUrl() {
    return server.publicUrl();
  }

  public String issuer(String tenant) {
    return baseUrl() + "/t/" + tenant;
  }

  public HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET());
  }

  public HttpResponse<String> get(String path, String headerName, String headerValue) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).header(headerName, headerValue).GET());
  }

  public JsonObject getJson(String path) {
    HttpResponse<String> res = get(path);
    if (res.statusCode() != 200) throw new AssertionError("GET " + path + " -> " + res.statusCode() + " " + res.body());
    return new JsonObject(res.body());
  }

  /** POSTs a form; {@code basic} is "id:secret" for client_secret_basic, or null. */
  public HttpResponse<String> postForm(String path, Map<String, String> form, String basic) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(formBody(form)));
    if (basic != null) {
      b.header("Authorization", "Basic " + java.util.Base64.getEncoder()
          .encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
    }
    return send(b);
  }

  public HttpResponse<String> postRaw(String path, String contentType, String body) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** A password-grant token response for the seeded admin and the seeded kubelogin client. */
  public JsonObject adminTokens(String tenant, String scope) {
    HttpResponse<String> res = postForm("/t/" + tenant + "/token", Map.of("grant_type", "password",
        "client_id", "kubernetes", "username", "admin", "password", ADMIN_PASSWORD, "scope", scope), null);
    if (res.statusCode() != 200) throw new AssertionError("token -> " + res.statusCode() + " " + res.body());
    return new JsonObject(res.body());
  }

  public static String formBody(Map<String, String> form) {
    return form.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  /**
   * A v1 TokenReview of {@code token} at {@code tenant}'s webhook, with a cluster's webhook credential, as the
   * kube-apiserver sends it.
   */
  public HttpResponse<String> tokenReview(String tenant, String credential, String token) {
    String body = new JsonObject().put("apiVersion", "authentication.k8s.io/v1").put("kind", "TokenReview")
        .put("spec", new JsonObject().put("token", token)).encode();
    return send(HttpRequest.newBuilder(URI.create(baseUrl() + "/t/" + tenant + "/tokenreview?timeout=30s"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + credential)
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** {@link #tokenReview}'s {@code status}; any answer but 200 fails. */
  public JsonObject tokenReviewStatus(String tenant, String credential, String token) {
    HttpResponse<String> res = tokenReview(tenant, credential, token);
    if (res.statusCode() != 200) throw new AssertionError("TokenReview answered " + res.statusCode() + ": " + res.body());
    return new JsonObject(res.body()).getJsonObject("status");
  }

  public HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError("request failed: " + e, e);
    }
  }

  /** An SSL context trusting only the PEM CA certificate at {@code caFile}. */
  public static SSLContext trusting(Path caFile) {
    try (InputStream in = Files.newInputStream(caFile)) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry("lanyard-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
