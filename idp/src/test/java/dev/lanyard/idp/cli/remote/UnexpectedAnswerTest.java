package dev.lanyard.idp.cli.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.lanyard.idp.cli.remote.RemoteCli.Run;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Answers no Lanyard gives (another version, a proxy in between) end the command with one line, never a stack trace:
 * a stand-in server answers JSON of an unexpected shape.
 */
class UnexpectedAnswerTest {
  @TempDir
  Path dir;

  HttpServer server;
  String url;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    Map<String, String> answers = Map.of(
        "/admin/api/v1/tenants", "{\"items\": 5, \"total\": 1}",
        "/admin/api/v1/tenants/t/clusters", "{\"id\": \"c1\", \"name\": \"c1\", \"credential\": \"lyw_abc\"}",
        "/admin/api/v1/tenants/t/clusters/c1/onboarding", "{\"issuer\": \"https://x/t/t\"}");
    server.createContext("/", exchange -> {
      String body = answers.getOrDefault(exchange.getRequestURI().getPath(), "{}");
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
    url = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private Run lanyard(Map<String, String> env, String... args) {
    String[] all = new String[args.length + 6];
    System.arraycopy(new String[] {"--context", dir.resolve("none.yaml").toString(), "--server", url, "--token", "lya_x"},
        0, all, 0, 6);
    System.arraycopy(args, 0, all, 6, args.length);
    return RemoteCli.runWithEnv(env, all);
  }

  @Test
  void anUnforeseenFailureIsOneLineExit1() {
    Run r = lanyard(Map.of(), "tenant", "list");
    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).startsWith("lanyard: internal error: ").hasLineCount(1).doesNotContain("\tat ");
  }

  @Test
  void lanyardDebugShowsTheStackTrace() {
    Run r = lanyard(Map.of("LANYARD_DEBUG", "1"), "tenant", "list");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith("lanyard: internal error: ").contains("\tat ");
  }

  @Test
  void anOnboardingAnswerWithoutFilesStillShowsTheCredential() {
    Run r = lanyard(Map.of(), "cluster", "add", "--tenant", "t", "c1");
    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    assertThat(r.out()).contains("lyw_abc");
    assertThat(r.err()).isEqualTo("lanyard: the cluster's files could not be made: the server's answer lists no files\n");
  }
}
