package dev.lanyard.idp.cli.remote;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lanyard robot list|create|delete}: non-human principals (CI pipelines...); named by name or id. */
@Command(name = "robot", mixinStandardHelpOptions = true, description = "Manage the robots (non-human principals) of a tenant.",
    subcommands = {RobotCommand.List.class, RobotCommand.Create.class, RobotCommand.Delete.class})
final class RobotCommand {
  static final TablePrinter TABLE = TablePrinter.of("ID", "id", "NAME", "name", "DESCRIPTION", "description",
      "ENABLED", "enabled", "CREATED", "createdAt");

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the robots of a tenant.")
  static final class List extends RemoteCommand {
    @Mixin
    TenantOption tenant;

    @Override
    void run() {
      printList(api().list(tenant.path() + "/robots"), TABLE);
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a robot.")
  static final class Create extends RemoteCommand {
    @Mixin
    TenantOption tenant;

    @Parameters(paramLabel = "NAME", description = "Robot name.")
    String name;

    @Option(names = "--description", paramLabel = "TEXT", description = "What it is for.")
    String description;

    @Option(names = "--group", paramLabel = "G", description = "A group (name or id) it belongs to; repeatable.")
    java.util.List<String> groups;

    @Override
    void run() {
      JsonObject body = new JsonObject().put("name", name);
      if (description != null) body.put("description", description);
      if (groups != null) body.put("groups", new JsonArray(groups));
      printOne(api().post(tenant.path() + "/robots", body));
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a robot.")
  static final class Delete extends RemoteCommand {
    @Mixin
    TenantOption tenant;

    @Parameters(paramLabel = "ROBOT", description = "Robot name or id.")
    String robot;

    @Override
    void run() {
      ApiClient api = api();
      String id = Resolve.id(api, tenant.path() + "/robots", "name", robot, "robot");
      api.delete(tenant.path() + "/robots/" + ApiClient.seg(id));
      done("Deleted robot " + robot + ".");
    }
  }
}
