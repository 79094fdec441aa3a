package dev.lanyard.idp.cli.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.cli.remote.RemoteCli.Run;
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

  StandInServer server;
  String url;

  @BeforeEach
  void start() {
    server = new StandInServer(Map.of(
        "/admin/api/v1/tenants", "{\"items\": 5, \"total\": 1}",
        "/admin/api/v1/tenants/t/clusters", "{\"id\": \"c1\", \"name\": \"c1\", \"credential\": \"lyw_abc\"}",
        "/admin/api/v1/tenants/t/clusters/c1/onboarding", "{\"issuer\": \"https://x/t/t\"}"));
    url = server.url();
  }

  @AfterEach
  void stop() {
    server.close();
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
