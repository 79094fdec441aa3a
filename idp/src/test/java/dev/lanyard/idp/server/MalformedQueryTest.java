package dev.lanyard.idp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.testing.TestLanyard;
import dev.lanyard.idp.tokens.TokenService;
import dev.lanyard.storage.model.PrincipalType;
import dev.lanyard.storage.model.TokenKind;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A query string with a broken percent escape ({@code %zz}, a trailing {@code %}, {@code %4}) is a 400 in the
 * format of the route it was sent to (Vert.x throws when it decodes one: its router answered a bare "Bad Request"
 * and logged the stack trace). Sent over a raw TLS socket, because Java's URI refuses to build such a request.
 */
class MalformedQueryTest {
  private static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

  @TempDir
  static Path dir;

  static TestLanyard lanyard;

  @BeforeAll
  static void start() {
    lanyard = TestLanyard.start(dir.resolve("data"));
  }

  @AfterAll
  static void stop() {
    lanyard.close();
  }

  /** An HTTP/1.1 answer: status, headers (lower-case names) and body. */
  record Raw(int statusCode, Map<String, String> headers, String body) {
    Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }
  }

  /** Sends {@code method target} as written, with {@code headers} ("Name: value") and an optional body. */
  static Raw send(String method, String target, String body, String... headers) {
    URI base = URI.create(lanyard.baseUrl());
    try (SSLSocket socket = (SSLSocket) TestLanyard.trusting(lanyard.server().caFile()).getSocketFactory()
        .createSocket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(20_000);
      StringBuilder request = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: " + base.getAuthority()
          + "\r\nConnection: close\r\n");
      for (String h : headers) request.append(h).append("\r\n");
      byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      if (body != null) request.append("Content-Length: ").append(content.length).append("\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
      out.write(content);
      out.flush();
      return parse(socket.getInputStream());
    } catch (IOException e) {
      throw new AssertionError("request failed: " + e, e);
    }
  }

  private static Raw parse(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    in.transferTo(all);
    String text = all.toString(StandardCharsets.UTF_8);
    int end = text.indexOf("\r\n\r\n");
    String[] lines = text.substring(0, end).split("\r\n");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
    }
    String body = text.substring(end + 4);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) body = unchunk(body);
    return new Raw(Integer.parseInt(lines[0].split(" ")[1]), headers, body);
  }

  private static String unchunk(String chunked) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (true) {
      int lineEnd = chunked.indexOf("\r\n", at);
      int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
      if (size == 0) return out.toString();
      // Sizes count bytes; the bodies here are ASCII apart from what the pages escape.
      out.append(chunked, lineEnd + 2, lineEnd + 2 + size);
      at = lineEnd + 2 + size + 2;
    }
  }

  static Raw get(String path, String accept) {
    return accept == null ? send("GET", path, null) : send("GET", path, null, "Accept: " + accept);
  }

  @Test
  @DisplayName("browser pages (authorize, login, logout, device): 400 with an HTML error page")
  void browserPages() {
    for (String path : List.of("/t/default/authorize?client_id=%zz", "/t/default/login?return_to=%",
        "/t/default/logout?state=%zz", "/t/default/device?user_code=%4")) {
      Raw res = get(path, BROWSER_ACCEPT);
      assertThat(res.statusCode()).as(path + ": " + res.body()).isEqualTo(400);
      assertThat(res.header("Content-Type").orElseThrow()).as(path).startsWith("text/html");
      assertThat(res.body()).as(path).contains("Invalid request").doesNotContain("Exception");
      assertThat(res.header("Content-Security-Policy")).as(path).isPresent();
    }
  }

  @Test
  @DisplayName("the same pages for a program, and the protocol endpoints: 400 invalid_request JSON (RFC 6749)")
  void protocolEndpoints() {
    for (String path : List.of("/t/default/authorize?client_id=%zz", "/t/default/login?return_to=%",
        "/t/default/.well-known/openid-configuration?x=%zz", "/t/default/jwks?%")) {
      Raw res = get(path, null);
      assertThat(res.statusCode()).as(path + ": " + res.body()).isEqualTo(400);
      assertThat(res.header("Content-Type").orElseThrow()).as(path).startsWith("application/json");
      JsonObject body = new JsonObject(res.body());
      assertThat(body.getString("error")).as(path).isEqualTo("invalid_request");
      assertThat(body.getString("error_description")).as(path).contains("query");
    }
    Raw token = send("POST", "/t/default/token?x=%zz", "grant_type=password",
        "Content-Type: application/x-www-form-urlencoded");
    assertThat(token.statusCode()).as(token.body()).isEqualTo(400);
    assertThat(new JsonObject(token.body()).getString("error")).isEqualTo("invalid_request");
  }

  @Test
  @DisplayName("the admin API: 400 problem JSON, with or without a token, even from a browser")
  void adminApi() {
    String token = lanyard.server().services().tokens().mint(new TokenService.MintRequest("default",
        TokenKind.ADMIN, PrincipalType.USER, adminId(), null, List.of(), null), "test", null).await().secret();
    for (String auth : new String[] {null, "Bearer " + token}) {
      for (String path : List.of("/admin/api/v1/tenants?limit=%zz", "/admin/api/v1/audit?action=%")) {
        Raw res = auth == null ? get(path, BROWSER_ACCEPT)
            : send("GET", path, null, "Accept: " + BROWSER_ACCEPT, "Authorization: " + auth);
        assertThat(res.statusCode()).as(path + ": " + res.body()).isEqualTo(400);
        assertThat(res.header("Content-Type")).as(path).contains("application/problem+json");
        JsonObject problem = new JsonObject(res.body());
        assertThat(problem.getInteger("status")).isEqualTo(400);
        assertThat(problem.getString("detail")).as(path).contains("query");
      }
    }
    Raw login = send("POST", "/admin/api/v1/login?x=%zz", new JsonObject().put("tenant", "default")
        .put("username", "admin").put("password", TestLanyard.ADMIN_PASSWORD).encode(),
        "Content-Type: application/json");
    assertThat(login.statusCode()).as(login.body()).isEqualTo(400);
    assertThat(login.header("Content-Type")).contains("application/problem+json");
  }

  @Test
  @DisplayName("the TokenReview webhook: its usual route ignores the query (as it ignores ?timeout=30s), the router's answers a 400 Status")
  void webhook() {
    String credential = lanyard.server().services().clusters().register("default", "prod", null, "test", null)
        .await().credential();
    String review = new JsonObject().put("apiVersion", "authentication.k8s.io/v1").put("kind", "TokenReview")
        .put("spec", new JsonObject().put("token", "lyk_not-a-token")).encode();
    Raw direct = send("POST", "/t/default/tokenreview?timeout=%zz", review, "Content-Type: application/json",
        "Authorization: Bearer " + credential);
    assertThat(direct.statusCode()).as(direct.body()).isEqualTo(200);
    assertThat(new JsonObject(direct.body()).getJsonObject("status").getBoolean("authenticated")).isFalse();
    // A tenant id to decode takes the router, which decodes the query to match the route.
    Raw routed = send("POST", "/t/defaul%74/tokenreview?timeout=%zz", review, "Content-Type: application/json",
        "Authorization: Bearer " + credential);
    assertThat(routed.statusCode()).as(routed.body()).isEqualTo(400);
    JsonObject status = new JsonObject(routed.body());
    assertThat(status.getString("kind")).isEqualTo("Status");
    assertThat(status.getString("reason")).isEqualTo("BadRequest");
    assertThat(status.getInteger("code")).isEqualTo(400);
  }

  @Test
  @DisplayName("a well-formed query still reaches the endpoint")
  void wellFormedQueries() {
    assertThat(get("/t/default/login?return_to=%2Ft%2Fdefault%2Fauthorize%3Fclient_id%3Dkubernetes", BROWSER_ACCEPT)
        .statusCode()).isEqualTo(200);
    assertThat(get("/t/default/jwks?x=%41", null).statusCode()).isEqualTo(200);
  }

  private static String adminId() {
    return lanyard.server().storage().transactionBlocking(s -> s.users().findByUsername("default", "admin"))
        .orElseThrow().id();
  }
}
