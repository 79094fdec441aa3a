package dev.lanyard.idp.cli.remote;

import dev.lanyard.idp.Main;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Runs {@code lanyard} in-process with captured output and an empty environment. */
final class RemoteCli {
  private RemoteCli() {}

  record Run(int exit, String out, String err) {
    JsonObject json() {
      return new JsonObject(out);
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
    }
  }

  static Run run(String... args) {
    return runWithStdin(null, args);
  }

  static Run runWithStdin(String stdin, String... args) {
    return run(stdin, Map.of(), args);
  }

  static Run runWithEnv(Map<String, String> env, String... args) {
    return run(null, env, args);
  }

  private static Run run(String stdin, Map<String, String> env, String... args) {
    RemoteCommand.env = env;
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    InputStream oldIn = System.in;
    if (stdin != null) System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    try {
      int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
      return new Run(exit, out.toString(), err.toString());
    } finally {
      System.setIn(oldIn);
    }
  }
}
