package dev.lanyard.idp.cli.remote;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** A command that calls the admin API: connection options, {@code -o table|json}, and output helpers. */
abstract class RemoteCommand implements Callable<Integer> {
  enum Format { table, json }

  @Spec
  CommandSpec spec;

  @Mixin
  RemoteOptions remote;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); json prints the API's JSON.")
  Format output;

  /** The environment; a field so tests can replace it. */
  static Map<String, String> env = System.getenv();

  @Override
  public final Integer call() {
    try {
      run();
    } finally {
      out().flush();
      err().flush();
    }
    return 0;
  }

  abstract void run();

  Settings settings() {
    return Settings.resolve(remote, rootOptions(), env);
  }

  ApiClient api() {
    Settings s = settings();
    return new ApiClient(s.requireServer(), s.requireToken(), s.cacert());
  }

  /** The options given before the subcommand ({@code lanyard --server URL ...}), if the root mixes them in. */
  RemoteOptions rootOptions() {
    return spec.root().mixins().values().stream().map(CommandSpec::userObject)
        .filter(RemoteOptions.class::isInstance).map(RemoteOptions.class::cast).findFirst().orElse(null);
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  boolean json() {
    return output == Format.json;
  }

  /** A list answer: the JSON as is, or a table. */
  void printList(JsonObject page, TablePrinter table) {
    if (json()) {
      out().println(page.encodePrettily());
    } else {
      table.print(page.getJsonArray("items"), out());
    }
  }

  /** One object: the JSON as is, or key/value lines. */
  void printOne(JsonObject o) {
    if (json()) {
      out().println(o.encodePrettily());
    } else {
      TablePrinter.details(o, out());
    }
  }

  /** After a delete (204): a confirmation line, or {} in json mode. */
  void done(String message) {
    if (json()) {
      out().println("{}");
    } else {
      out().println(message);
    }
  }

  /**
   * A usage error found after parsing (options that exclude each other, nothing to do): exit 2 with the usage, as
   * picocli's own parse errors.
   */
  ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** A tenant-scoped command's tenant path: {@code /tenants/{t}}. */
  static String tenantPath(String tenant) {
    return "/tenants/" + ApiClient.seg(tenant);
  }
}
