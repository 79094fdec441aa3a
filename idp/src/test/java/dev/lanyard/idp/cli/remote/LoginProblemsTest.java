package dev.lanyard.idp.cli.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.cli.remote.RemoteCli.Run;
import dev.lanyard.idp.testing.TestLanyard;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code lanyard login} says when the server refuses: a wrong password is not a refused token (no "log in
 * again"), and a throttled account is told when to try again. A server of its own: failures here would throttle
 * the logins of other tests.
 */
class LoginProblemsTest {
  @TempDir
  Path dir;

  @Test
  void wrongPasswordThenThrottled() {
    try (TestLanyard lanyard = TestLanyard.start(dir.resolve("data"),
        Map.of("login.freeFailures", "1", "login.maxDelay", "30s"))) {
      Run wrong = login(lanyard, "wrong-password");
      assertThat(wrong.exit()).isEqualTo(1);
      assertThat(wrong.err()).startsWith("lanyard: Unauthorized").doesNotContain("lanyard login").hasLineCount(1);
      Run throttled = login(lanyard, TestLanyard.ADMIN_PASSWORD);
      assertThat(throttled.exit()).isEqualTo(1);
      assertThat(throttled.err()).startsWith("lanyard: Too Many Requests").containsPattern("\\(try again in \\d+ s\\)\\n$")
          .hasLineCount(1);
      Run refusedToken = RemoteCli.run("--context", dir.resolve("none.yaml").toString(), "--server", lanyard.baseUrl(),
          "--cacert", lanyard.server().caFile().toString(), "--token", "lya_wrong", "tenant", "list");
      assertThat(refusedToken.err()).startsWith("lanyard: Unauthorized").contains("log in again with 'lanyard login'");
    }
  }

  private Run login(TestLanyard lanyard, String password) {
    return RemoteCli.runWithStdin(password + "\n", "--server", lanyard.baseUrl(), "--cacert",
        lanyard.server().caFile().toString(), "--context", dir.resolve("ctx.yaml").toString(), "login", "--username",
        "admin", "--password-stdin");
  }
}
