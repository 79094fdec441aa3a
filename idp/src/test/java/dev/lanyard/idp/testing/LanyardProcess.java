package dev.lanyard.idp.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The {@code lanyard} command run as a separate JVM, as an operator runs it: real exit codes, real kill -9. */
public final class LanyardProcess {
  private final Process process;
  private final Path stdout;
  private final Path stderr;

  private LanyardProcess(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** Starts {@code lanyard args...} with the test classpath; output goes to files under {@code workDir}. */
  public static LanyardProcess start(Path workDir, Map<String, String> env, String... args) {
    try {
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), "dev.lanyard.idp.Main"));
      command.addAll(List.of(args));
      Path out = Files.createTempFile(workDir, "stdout", ".txt");
      Path err = Files.createTempFile(workDir, "stderr", ".txt");
      ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile());
      pb.environment().putAll(env);
      return new LanyardProcess(pb.start(), out, err);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs to completion (at most 60 s) and returns the exit code. */
  public static LanyardProcess run(Path workDir, String... args) {
    LanyardProcess p = start(workDir, Map.of(), args);
    p.waitFor();
    return p;
  }

  public int waitFor() {
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("lanyard did not finish in 60 s; stderr: " + stderr());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public int exitCode() {
    return process.exitValue();
  }

  public Process process() {
    return process;
  }

  /** kill -9: no shutdown hook, no cleanup. */
  public void killHard() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public String stdout() {
    return read(stdout);
  }

  public String stderr() {
    return read(stderr);
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
