package dev.lanyard.idp.cli.remote;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lanyard tenant list|create|delete}. */
@Command(name = "tenant", mixinStandardHelpOptions = true, description = "Manage tenants.",
    subcommands = {TenantCommand.List.class, TenantCommand.Create.class, TenantCommand.Delete.class})
final class TenantCommand {
  static final TablePrinter TABLE = TablePrinter.of("ID", "id", "DISPLAY NAME", "displayName", "CREATED", "createdAt");

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tenants you administer.")
  static final class List extends RemoteCommand {
    @Override
    void run() {
      printList(api().list("/tenants"), TABLE);
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a tenant (its signing key and defaults).")
  static final class Create extends RemoteCommand {
    @Parameters(paramLabel = "ID", description = "Tenant id: lower-case letters, digits and '-'.")
    String id;

    @Option(names = "--display-name", paramLabel = "NAME", description = "Human-readable name.")
    String displayName;

    @Override
    void run() {
      JsonObject body = new JsonObject().put("id", id);
      if (displayName != null) body.put("displayName", displayName);
      printOne(api().post("/tenants", body));
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a tenant and everything in it.")
  static final class Delete extends RemoteCommand {
    @Parameters(paramLabel = "ID", description = "Tenant id.")
    String id;

    @Override
    void run() {
      api().delete(tenantPath(id));
      done("Deleted tenant " + id + ".");
    }
  }
}
