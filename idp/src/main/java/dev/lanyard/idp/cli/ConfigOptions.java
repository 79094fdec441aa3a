package dev.lanyard.idp.cli;

import dev.lanyard.idp.config.ConfigLoader;
import dev.lanyard.idp.config.LanyardConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every local command shares: which configuration file and data directory. */
public final class ConfigOptions {
  @Option(names = "--config", paramLabel = "FILE",
      description = "Configuration file (default: $LANYARD_CONFIG, else conf/lanyard.yaml when present).")
  Path config;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (database, keys, TLS files).")
  Path dataDir;

  /** Loads the configuration with these options and {@code extra} command-line overrides on top. */
  LanyardConfig load(Map<String, String> extra) {
    Map<String, String> env = System.getenv();
    Path file = config;
    if (file == null && env.get("LANYARD_CONFIG") != null) file = Path.of(env.get("LANYARD_CONFIG"));
    if (file == null && Files.isRegularFile(Path.of("conf", "lanyard.yaml"))) file = Path.of("conf", "lanyard.yaml");
    Map<String, String> overrides = new LinkedHashMap<>(extra);
    if (dataDir != null) overrides.put("dataDir", dataDir.toString());
    return ConfigLoader.load(file, env, overrides);
  }
}
