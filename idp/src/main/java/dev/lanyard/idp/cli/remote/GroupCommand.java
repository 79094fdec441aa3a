package dev.lanyard.idp.cli.remote;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code lanyard group list|create|rename|delete|members|add-member|remove-member}; groups named by name or id,
 * members by username or id.
 */
@Command(name = "group", mixinStandardHelpOptions = true, description = "Manage the groups of a tenant.",
    subcommands = {GroupCommand.List.class, GroupCommand.Create.class, GroupCommand.Rename.class,
        GroupCommand.Delete.class, GroupCommand.Members.class, GroupCommand.AddMember.class,
        GroupCommand.RemoveMember.class})
final class GroupCommand {
  static final TablePrinter TABLE = TablePrinter.of("ID", "id", "NAME", "name", "CREATED", "createdAt");

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the groups of a tenant.")
  static final class List extends RemoteCommand {
    @Mixin
    TenantOption tenant;

    @Override
    void run() {
      printList(api().list(tenant.path() + "/groups"), TABLE);
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a group.")
  static final class Create extends RemoteCommand {
    @Mixin
    TenantOption tenant;

    @Parameters(paramLabel = "NAME", description = "Group name (as it appears in tokens and TokenReview answers).")
    String name;

    @Override
    void run() {
      printOne(api().post(tenant.path() + "/groups", new JsonObject().put("name", name)));
    }
  }

  @Command(name = "rename", mixinStandardHelpOptions = true,
      description = "Rename a group; the TokenReview webhook answers with the new name from the next review on.")
  static final class Rename extends RemoteCommand {
    @Mixin
    TenantOption tenant;

    @Parameters(index = "0", paramLabel = "GROUP", description = "Group name or id.")
    String group;

    @Parameters(index = "1", paramLabel = "NEW_NAME", description = "The new name.")
    String name;

    @Override
    void run() {
      printOne(api().put(tenant.path() + "/groups/" + ApiClient.seg(group), new JsonObject().put("name", name)));
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a group.")
  static final class Delete extends RemoteCommand {
    @Mixin
    TenantOption tenant;

    @Parameters(paramLabel = "GROUP", description = "Group name or id.")
    String group;

    @Override
    void run() {
      api().delete(tenant.path() + "/groups/" + ApiClient.seg(group));
      done("Deleted group " + group + ".");
    }
  }

  @Command(name = "members", mixinStandardHelpOptions = true, description = "List the users in a group.")
  static final class Members extends RemoteCommand {
    @Mixin
    TenantOption tenant;

    @Parameters(paramLabel = "GROUP", description = "Group name or id.")
    String group;

    @Override
    void run() {
      printList(api().list(tenant.path() + "/groups/" + ApiClient.seg(group) + "/members"), UserCommand.TABLE);
    }
  }

  /** {@code --tenant T GROUP USER}: one membership. */
  abstract static class Membership extends RemoteCommand {
    @Mixin
    TenantOption tenant;

    @Parameters(index = "0", paramLabel = "GROUP", description = "Group name or id.")
    String group;

    @Parameters(index = "1", paramLabel = "USER", description = "Username or user id.")
    String user;

    String memberPath() {
      return tenant.path() + "/groups/" + ApiClient.seg(group) + "/members/" + ApiClient.seg(user);
    }
  }

  @Command(name = "add-member", mixinStandardHelpOptions = true,
      description = "Add a user to a group, keeping its other groups; the next TokenReview answer has it.")
  static final class AddMember extends Membership {
    @Override
    void run() {
      api().put(memberPath(), null);
      done("Added " + user + " to group " + group + ".");
    }
  }

  @Command(name = "remove-member", mixinStandardHelpOptions = true,
      description = "Take a user out of a group; the next TokenReview answer no longer has it.")
  static final class RemoveMember extends Membership {
    @Override
    void run() {
      api().delete(memberPath());
      done("Removed " + user + " from group " + group + ".");
    }
  }
}
