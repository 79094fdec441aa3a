package dev.lanyard.idp.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.lanyard.idp.testing.LanyardProcess;
import dev.lanyard.idp.testing.TestLanyard;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit log's lines: each exactly one JSON object, on the server's standard output. */
class AuditLinesTest {
  @TempDir
  Path dir;

  @Test
  @DisplayName("lanyard serve writes each audit event to standard output as a line that is one JSON object")
  void serveWritesOneJsonObjectPerLine() throws Exception {
    Files.createDirectories(dir.resolve("work"));
    LanyardProcess serve = LanyardProcess.start(dir.resolve("work"), Map.of("LANYARD_ADMIN_PASSWORD",
            TestLanyard.ADMIN_PASSWORD, "LANYARD_SERVER_HOST", "127.0.0.1", "LANYARD_PASSWORDS_MEMORY_KIB", "8192",
            "LANYARD_PASSWORDS_ITERATIONS", "1", "LANYARD_SERVER_EVENT_LOOPS", "2"),
        "serve", "--port", "0", "--data-dir", dir.resolve("data").toString());
    try {
      String banner = await(serve::stdout, out -> out.contains("CA file:"), "the start banner", serve);
      Matcher port = Pattern.compile("listening on https://127\\.0\\.0\\.1:(\\d+)").matcher(banner);
      Matcher ca = Pattern.compile("CA file: +(\\S+)").matcher(banner);
      assertThat(port.find() && ca.find()).as(banner).isTrue();
      HttpClient http = HttpClient.newBuilder().sslContext(TestLanyard.trusting(Path.of(ca.group(1)))).build();
      URI login = URI.create("https://127.0.0.1:" + port.group(1) + "/admin/api/v1/login");
      for (String password : List.of(TestLanyard.ADMIN_PASSWORD, "not-the-password")) {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(login).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("tenant", "default").put("username", "admin")
                .put("password", password).encode())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isIn(200, 401);
      }

      String out = await(serve::stdout, o -> jsonLines(o).stream().filter(l -> "admin.login".equals(l.getString("action")))
          .count() == 2, "two admin.login audit lines", serve);
      List<JsonObject> logins = jsonLines(out).stream().filter(l -> "admin.login".equals(l.getString("action"))).toList();
      assertThat(logins).extracting(l -> l.getString("outcome")).containsExactly("success", "failure");
      assertThat(logins.get(0).getString("tenant")).isEqualTo("default");
      assertThat(logins.get(0).getString("actor")).isEqualTo("user:default/admin");
      assertThat(logins.get(0).getString("at")).isNotBlank();
      assertThat(logins.get(1).getString("source")).isEqualTo("127.0.0.1");
      // After the banner, standard output holds nothing but audit lines; logs go to standard error.
      String afterBanner = out.substring(banner.length());
      for (String line : afterBanner.split("\n")) {
        if (!line.isEmpty()) assertThat(parse(line)).as(line).isPresent();
      }
      assertThat(serve.stderr()).doesNotContain("lanyard.audit");
    } finally {
      serve.process().destroy(); // SIGTERM: the shutdown hook closes the server
      serve.waitFor();
    }
  }

  @Test
  @DisplayName("a stalled output loses no time of the caller: lines beyond the queue are dropped and counted")
  void stalledOutputDropsAndCounts() throws Exception {
    CountDownLatch stalled = new CountDownLatch(1);
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    OutputStream blocking = new OutputStream() {
      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        try {
          stalled.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        synchronized (written) {
          written.write(b, off, len);
        }
      }
    };
    AuditLines lines = new AuditLines(new PrintStream(blocking, true, StandardCharsets.UTF_8), Clock.systemUTC());
    int sent = AuditLines.CAPACITY + 100;
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> { // accept never waits for the stalled output
      for (int i = 0; i < sent; i++) {
        lines.accept(new JsonObject().put("n", i).encode());
      }
    });
    stalled.countDown();
    lines.close();
    String out;
    synchronized (written) {
      out = written.toString(StandardCharsets.UTF_8);
    }
    List<JsonObject> all = jsonLines(out);
    assertThat(all).allSatisfy(l -> assertThat(l.containsKey("n") || l.containsKey("count")).isTrue());
    long kept = all.stream().filter(l -> l.containsKey("n")).count();
    long dropped = all.stream().filter(l -> "audit.lines.dropped".equals(l.getString("action")))
        .mapToLong(l -> l.getLong("count")).sum();
    assertThat(dropped).isPositive();
    assertThat(kept + dropped).isEqualTo(sent);
    assertThat(all.stream().filter(l -> l.containsKey("n")).map(l -> l.getInteger("n")).toList()).isSorted();
  }

  private static List<JsonObject> jsonLines(String out) {
    return out.lines().map(AuditLinesTest::parse).flatMap(Optional::stream).toList();
  }

  private static Optional<JsonObject> parse(String line) {
    if (!line.startsWith("{")) return Optional.empty();
    try {
      return Optional.of(new JsonObject(line));
    } catch (DecodeException e) {
      return Optional.empty();
    }
  }

  private interface Text {
    String get() throws Exception;
  }

  private static String await(Text text, Predicate<String> done, String what, LanyardProcess p) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      String t = text.get();
      if (done.test(t)) return t;
      if (!p.process().isAlive()) break;
      Thread.sleep(100);
    }
    throw new AssertionError("no " + what + "; stdout:\n" + p.stdout() + "\nstderr:\n" + p.stderr());
  }
}
