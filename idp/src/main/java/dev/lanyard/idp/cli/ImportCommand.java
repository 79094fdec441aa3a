package dev.lanyard.idp.cli;

import dev.lanyard.idp.config.LanyardConfig;
import dev.lanyard.idp.portability.ImportFile;
import dev.lanyard.idp.portability.ImportReader;
import dev.lanyard.idp.portability.Importer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code lanyard import FILE}: loads tenants, users, groups, robots and clients in one transaction. */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = "Create or update tenants with their settings, users, groups, robots and clients from a YAML or JSON file "
        + "(see README, 'Import format'). All or nothing: on any error nothing is written.")
public final class ImportCommand implements Callable<Integer> {
  @Mixin
  ConfigOptions options;

  @Parameters(paramLabel = "FILE", description = "YAML or JSON file.")
  Path file;

  @Override
  public Integer call() {
    ImportFile parsed = ImportReader.read(file); // parse errors before touching the data directory
    LanyardConfig config = options.load(Map.of());
    try (OfflineLanyard lanyard = new OfflineLanyard(config)) {
      Importer.Summary summary = new Importer(lanyard.storage, lanyard.hasher, lanyard.provisioner, Clock.systemUTC(),
          config.tokens().opaqueMaxTtl()).apply(parsed, message -> System.err.println("lanyard import: " + message));
      System.out.println("imported " + file + ": " + summary);
      return 0;
    }
  }
}
