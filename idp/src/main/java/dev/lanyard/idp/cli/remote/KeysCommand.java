package dev.lanyard.idp.cli.remote;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code lanyard keys list|rotate}: a tenant's token signing keys. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "List and rotate a tenant's signing keys.",
    subcommands = {KeysCommand.List.class, KeysCommand.Rotate.class})
final class KeysCommand {
  static final TablePrinter TABLE = TablePrinter.of("KID", "kid", "ALG", "alg", "STATE", "state", "CREATED", "createdAt",
      "ACTIVE FROM", "activeFrom", "RETIRE AFTER", "retireAfter");

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the signing keys of a tenant.")
  static final class List extends RemoteCommand {
    @Mixin
    TenantOption tenant;

    @Override
    void run() {
      printList(api().list(tenant.path() + "/keys"), TABLE);
    }
  }

  @Command(name = "rotate", mixinStandardHelpOptions = true,
      description = "Publish the next signing key now; it signs once published long enough for caches to see it.")
  static final class Rotate extends RemoteCommand {
    @Mixin
    TenantOption tenant;

    @Override
    void run() {
      printOne(api().post(tenant.path() + "/keys/rotate", null));
    }
  }
}
