package dev.lanyard.idp.cli.remote;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the admin API is and how to call it. Accepted both before the subcommand ({@code lanyard --server URL
 * user list}) and after it; a value given on the subcommand wins over one on {@code lanyard}, then the
 * environment, then the context file written by {@code lanyard login}.
 */
public final class RemoteOptions {
  @Option(names = "--server", paramLabel = "URL",
      description = "Lanyard's base URL, e.g. https://idp.example.com:8443 (env LANYARD_SERVER).")
  String server;

  @Option(names = "--token", paramLabel = "T", description = "Admin API token, lya_... (env LANYARD_TOKEN).")
  String token;

  @Option(names = "--cacert", paramLabel = "FILE",
      description = "PEM CA certificate to trust, e.g. {data-dir}/tls/ca.pem (env LANYARD_CACERT; default: the JDK's trust store).")
  Path cacert;

  @Option(names = "--context", paramLabel = "FILE",
      description = "Context file (env LANYARD_CONTEXT; default: ~/.config/lanyard/context.yaml).")
  Path context;
}
