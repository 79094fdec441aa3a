package dev.lanyard.idp.cli.remote;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lanyard robot list|show|create|update|set-groups|delete}: non-human principals (CI pipelines...); named by
 * name or id.
 */
@Command(name = "robot", mixinStandardHelpOptions = true, description = "Manage the robots (non-human principals) of a tenant.",
    subcommands = {RobotCommand.List.class, RobotCommand.Show.class, RobotCommand.Create.class, RobotCommand.Update.class,
        RobotCommand.SetGroups.class, RobotCommand.Delete.class})
final class RobotCommand {
  static final TablePrinter TABLE = TablePrinter.of("ID", "id", "NAME", "name", "DESCRIPTION", "description",
      "ENABLED", "enabled", "CREATED", "createdAt");

  /** A robot-addressing command: {@code --tenant T ROBOT}. */
  abstract static class One extends RemoteCommand {
    @Mixin
    TenantOption tenant;

    @Parameters(paramLabel = "ROBOT", description = "Robot name or id.")
    String robot;

    /** {@code /tenants/{t}/robots/{robot}}: the API finds a robot by id or name. */
    String robotPath() {
      return tenant.path() + "/robots/" + ApiClient.seg(robot);
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the robots of a tenant.")
  static final class List extends RemoteCommand {
    @Mixin
    TenantOption tenant;

    @Override
    void run() {
      printList(api().list(tenant.path() + "/robots"), TABLE);
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a robot with its groups.")
  static final class Show extends One {
    @Override
    void run() {
      printOne(api().get(robotPath()));
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

  @Command(name = "update", mixinStandardHelpOptions = true,
      description = "Change a robot's name, description or enabled state; the rest stays.")
  static final class Update extends One {
    @Option(names = "--name", paramLabel = "NAME", description = "New name.")
    String name;

    @Option(names = "--description", paramLabel = "TEXT", description = "New description; \"\" removes it.")
    String description;

    @Option(names = "--enabled", paramLabel = "BOOL", arity = "1",
        description = "true or false; false refuses its tokens from the next review on.")
    Boolean enabled;

    @Override
    void run() {
      JsonObject body = new JsonObject();
      if (name != null) body.put("name", name);
      if (description != null) body.put("description", description.isEmpty() ? null : description);
      if (enabled != null) body.put("enabled", enabled);
      if (body.isEmpty()) throw usage("nothing to change: give --name, --description or --enabled");
      printOne(api().put(robotPath(), body));
    }
  }

  @Command(name = "set-groups", mixinStandardHelpOptions = true,
      description = "Replace a robot's groups; the TokenReview webhook answers with the new ones from the next review on.")
  static final class SetGroups extends One {
    @ArgGroup(exclusive = true, multiplicity = "1")
    GroupList groups;

    @Override
    void run() {
      printOne(api().put(robotPath() + "/groups", new JsonObject().put("groups", new JsonArray(groups.names()))));
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a robot.")
  static final class Delete extends One {
    @Override
    void run() {
      api().delete(robotPath());
      done("Deleted robot " + robot + ".");
    }
  }
}
