package dev.lanyard.idp.cli.remote;

import picocli.CommandLine.Option;

/** {@code --tenant T} of the tenant-scoped commands. */
final class TenantOption {
  @Option(names = {"-t", "--tenant"}, paramLabel = "T", required = true, description = "The tenant.")
  String tenant;

  String path() {
    return RemoteCommand.tenantPath(tenant);
  }
}
