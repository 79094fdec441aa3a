package dev.lanyard.idp.cli;

import dev.lanyard.idp.portability.Exporter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lanyard export}: writes tenants in the import format, with hashes only. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Write tenants with their users, groups, robots and clients as YAML in the import format. "
        + "Passwords and secrets appear only as argon2 hashes; issued tokens (robot and user tokens, sessions, "
        + "refresh tokens) are not exported.")
public final class ExportCommand implements Callable<Integer> {
  @Mixin
  ConfigOptions options;

  @Option(names = "--tenant", paramLabel = "T", description = "Only this tenant (default: all).")
  String tenant;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here instead of standard output.")
  Path output;

  @Override
  public Integer call() throws IOException {
    try (OfflineLanyard lanyard = new OfflineLanyard(options.load(Map.of()))) {
      String yaml = Exporter.toYaml(new Exporter(lanyard.storage).export(tenant));
      if (output == null) {
        System.out.print(yaml);
      } else {
        Files.writeString(output, yaml, StandardCharsets.UTF_8);
      }
      return 0;
    }
  }
}
