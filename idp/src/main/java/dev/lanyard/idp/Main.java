package dev.lanyard.idp;

import dev.lanyard.idp.cli.AdminTokenCommand;
import dev.lanyard.idp.cli.ExportCommand;
import dev.lanyard.idp.cli.ImportCommand;
import dev.lanyard.idp.cli.KubeconfigCommand;
import dev.lanyard.idp.cli.ServeCommand;
import dev.lanyard.idp.cli.remote.RemoteCommands;
import dev.lanyard.idp.cli.remote.RemoteOptions;
import dev.lanyard.idp.config.ConfigException;
import dev.lanyard.idp.portability.ImportException;
import dev.lanyard.storage.StorageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import java.io.PrintWriter;

/** The {@code lanyard} command: wiring of subcommands only. */
@Command(name = "lanyard", mixinStandardHelpOptions = true, version = "Lanyard 0.1.0",
    description = "Self-hosted multi-tenant OpenID Connect identity provider for Kubernetes users.",
    subcommands = {ServeCommand.class, ImportCommand.class, ExportCommand.class, AdminTokenCommand.class, KubeconfigCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  /** --server, --token, --cacert, --context for the admin API client commands, accepted before the subcommand too. */
  @Mixin
  RemoteOptions remote;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line; returns the exit code. Expected failures print one clear message, no stack trace. */
  public static int run(String... args) {
    return run(null, null, args);
  }

  /** Runs the command line writing to {@code out} and {@code err} (null: standard output and error). */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli;
    if (args.length > 0 && "serve".equals(args[0])) {
      // Start-up time counts for serve: picocli builds every command's model by reflection up front, so
      // the server's start builds only its own (same options, same help).
      cli = new CommandLine(new ServeCommand()).setCommandName("lanyard serve");
      args = java.util.Arrays.copyOfRange(args, 1, args.length);
    } else {
      cli = new CommandLine(new Main());
      RemoteCommands.all().forEach(cli::addSubcommand);
    }
    if (out != null) cli.setOut(out);
    if (err != null) cli.setErr(err);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (RemoteCommands.expected(e)) {
        commandLine.getErr().println("lanyard: " + e.getMessage());
        commandLine.getErr().flush();
        return 1;
      }
      if (e instanceof ConfigException || e instanceof ImportException || e instanceof IllegalStateException
          || e instanceof IllegalArgumentException || e instanceof StorageException) {
        commandLine.getErr().println("lanyard: " + e.getMessage());
        return 1;
      }
      // A bug or an answer the client did not foresee: still one line; the trace only when asked for.
      commandLine.getErr().println("lanyard: internal error: "
          + (e.getMessage() != null ? e.getMessage() : e.getClass().getName()));
      if (RemoteCommands.debug()) e.printStackTrace(commandLine.getErr());
      commandLine.getErr().flush();
      return 1;
    });
    return cli.execute(args);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
