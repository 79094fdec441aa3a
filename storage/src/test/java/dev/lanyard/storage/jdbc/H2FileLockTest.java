package dev.lanyard.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.storage.StorageConfig;
import dev.lanyard.storage.StorageException;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** H2's file lock keeps a second process away from a database file in use. */
@ExtendWith(VertxExtension.class)
class H2FileLockTest {

  @Test
  void aSecondProcessCannotOpenTheSameFile(Vertx vertx, @TempDir Path dir) throws Exception {
    try (JdbcStorage open = JdbcStorage.open(vertx, StorageConfig.h2File(dir))) {
      Process probe = probe(dir);
      assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(probe.exitValue()).as(out).isEqualTo(3);
      assertThat(out).contains(StorageException.class.getName());
    }
    // once closed, another process may open it
    Process probe = probe(dir);
    assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(probe.exitValue()).as(out).isZero();
  }

  private static Process probe(Path dir) throws Exception {
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(List.of(java, "-cp", classPath, Probe.class.getName(), dir.toString()))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.PIPE).start();
  }

  /** Opens the storage in {@code args[0]}: exit 0 when it opened, 3 on a StorageException. */
  public static final class Probe {
    public static void main(String[] args) {
      Vertx vertx = Vertx.vertx();
      int code;
      try (JdbcStorage storage = JdbcStorage.open(vertx, StorageConfig.h2File(Path.of(args[0])))) {
        code = 0;
      } catch (StorageException e) {
        System.out.println(e.getClass().getName() + ": " + e.getMessage());
        code = 3;
      }
      vertx.close();
      System.out.flush();
      Runtime.getRuntime().halt(code);
    }
  }

}
