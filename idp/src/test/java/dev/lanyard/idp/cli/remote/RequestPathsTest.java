package dev.lanyard.idp.cli.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.cli.remote.RemoteCli.Run;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The requests a command makes: a user or robot is named in the path (the API takes an id or a name), not searched for in a list. */
class RequestPathsTest {
  static final String API = "/admin/api/v1/tenants/t";

  @TempDir
  Path dir;

  StandInServer server;

  @BeforeEach
  void start() {
    server = new StandInServer(Map.of(API + "/robots/bot", "{\"id\": \"r-1\", \"name\": \"bot\"}"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Run lanyard(String... args) {
    String[] all = new String[args.length + 6];
    System.arraycopy(new String[] {"--context", dir.resolve("none.yaml").toString(), "--server", server.url(),
        "--token", "lya_x"}, 0, all, 0, 6);
    System.arraycopy(args, 0, all, 6, args.length);
    return RemoteCli.run(all);
  }

  @Test
  void aUserOrRobotIsNamedInThePathPercentEncoded() {
    assertThat(lanyard("user", "disable", "--tenant", "t", "alice@example.com").exit()).isZero();
    assertThat(lanyard("robot", "delete", "--tenant", "t", "ci:deploy").exit()).isZero();
    assertThat(server.requests).containsExactly("PUT " + API + "/users/alice%40example.com",
        "DELETE " + API + "/robots/ci%3Adeploy");
  }

  @Test
  void clientUpdateLooksUpOnlyTheNamedRobot() {
    Run r = lanyard("client", "update", "--tenant", "t", "svc", "--robot", "bot");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(server.requests).containsExactly("GET " + API + "/robots/bot", "PUT " + API + "/clients/svc");
  }

  @Test
  void dotSegmentsAreRefusedBeforeAnyRequest() {
    Run r = lanyard("user", "delete", "--tenant", "t", "..");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("lanyard: '..' names nothing\n");
    assertThat(lanyard("group", "delete", "--tenant", "t", ".").exit()).isEqualTo(1);
    assertThat(server.requests).isEmpty();
  }
}
