package dev.lanyard.idp;

import dev.lanyard.idp.cli.AdminTokenCommand;
import dev.lanyard.idp.cli.ClusterCommand;
import dev.lanyard.idp.cli.ExportCommand;
import dev.lanyard.idp.cli.ImportCommand;
import dev.lanyard.idp.cli.ServeCommand;
import dev.lanyard.idp.config.ConfigException;
import dev.lanyard.idp.portability.ImportException;
import dev.lanyard.storage.StorageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code lanyard} command: wiring of subcommands only. */
@Command(name = "lanyard", mixinStandardHelpOptions = true, version = "Lanyard 0.1.0",
    description = "Self-hosted multi-tenant OpenID Connect identity provider for Kubernetes users.",
    subcommands = {ServeCommand.class, ImportCommand.class, ExportCommand.class, AdminTokenCommand.class,
        ClusterCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line; returns the exit code. Expected failures print one clear message, no stack trace. */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof ConfigException || e instanceof ImportException || e instanceof IllegalStateException
          || e instanceof IllegalArgumentException || e instanceof StorageException) {
        commandLine.getErr().println("lanyard: " + e.getMessage());
        return 1;
      }
      throw e;
    });
    return cli.execute(args);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
