package dev.lanyard.idp.cli.remote;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lanyard user list|show|create|update|disable|enable|set-password|set-groups|delete}; users named by
 * username or id.
 */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Manage the users of a tenant.",
    subcommands = {UserCommand.List.class, UserCommand.Show.class, UserCommand.Create.class, UserCommand.Update.class,
        UserCommand.Disable.class, UserCommand.Enable.class, UserCommand.SetPassword.class, UserCommand.SetGroups.class, UserCommand.Delete.class})
final class UserCommand {
  static final TablePrinter TABLE = TablePrinter.of("ID", "id", "USERNAME", "username", "EMAIL", "email",
      "DISPLAY NAME", "displayName", "ENABLED", "enabled", "PASSWORD", "hasPassword");

  /** A user-addressing command: {@code --tenant T USER}. */
  abstract static class One extends RemoteCommand {
    @Mixin
    TenantOption tenant;

    @Parameters(paramLabel = "USER", description = "Username or user id.")
    String user;

    /** {@code /tenants/{t}/users/{user}}: the API finds a user by id or username. */
    String userPath() {
      return tenant.path() + "/users/" + ApiClient.seg(user);
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the users of a tenant.")
  static final class List extends RemoteCommand {
    @Mixin
    TenantOption tenant;

    @Override
    void run() {
      printList(api().list(tenant.path() + "/users"), TABLE);
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a user with its groups.")
  static final class Show extends One {
    @Override
    void run() {
      printOne(api().get(userPath()));
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a user.")
  static final class Create extends RemoteCommand {
    @Mixin
    TenantOption tenant;

    @Parameters(paramLabel = "USERNAME", description = "The username.")
    String username;

    @Option(names = "--email", paramLabel = "ADDRESS", description = "Email address.")
    String email;

    @Option(names = "--email-verified", description = "Mark the email address as verified.")
    boolean emailVerified;

    @Option(names = "--display-name", paramLabel = "NAME", description = "Display name.")
    String displayName;

    @Option(names = "--group", paramLabel = "G", description = "A group (name or id) to join; repeatable.")
    java.util.List<String> groups;

    @Option(names = "--disabled", description = "Create the user disabled.")
    boolean disabled;

    @Option(names = "--password-stdin", description = "Set a password read from the first line of standard input.")
    boolean passwordStdin;

    @Override
    void run() {
      JsonObject body = new JsonObject().put("username", username);
      if (email != null) body.put("email", email);
      if (emailVerified) body.put("emailVerified", true);
      if (displayName != null) body.put("displayName", displayName);
      if (groups != null) body.put("groups", new JsonArray(groups));
      if (disabled) body.put("enabled", false);
      if (passwordStdin) body.put("password", Passwords.read(true, null));
      printOne(api().post(tenant.path() + "/users", body));
    }
  }

  @Command(name = "update", mixinStandardHelpOptions = true,
      description = "Change a user's username, email address, display name or enabled state; the rest stays.")
  static final class Update extends One {
    @Option(names = "--username", paramLabel = "NAME", description = "New username.")
    String username;

    @Option(names = "--email", paramLabel = "ADDRESS",
        description = "New email address (unverified unless --email-verified); \"\" removes it.")
    String email;

    @Option(names = "--email-verified", paramLabel = "BOOL", arity = "0..1", fallbackValue = "true",
        description = "Mark the email address as verified (or, with =false, not).")
    Boolean emailVerified;

    @Option(names = "--display-name", paramLabel = "NAME", description = "New display name; \"\" removes it.")
    String displayName;

    @Option(names = "--enabled", paramLabel = "BOOL", arity = "1",
        description = "true or false; false refuses logins and tokens from the next request on.")
    Boolean enabled;

    @Override
    void run() {
      JsonObject body = new JsonObject();
      if (username != null) body.put("username", username);
      if (email != null) body.put("email", email.isEmpty() ? null : email);
      if (emailVerified != null) body.put("emailVerified", emailVerified);
      if (displayName != null) body.put("displayName", displayName.isEmpty() ? null : displayName);
      if (enabled != null) body.put("enabled", enabled);
      if (body.isEmpty()) {
        throw usage("nothing to change: give --username, --email, --email-verified, --display-name or --enabled");
      }
      printOne(api().put(userPath(), body));
    }
  }

  @Command(name = "disable", mixinStandardHelpOptions = true,
      description = "Disable a user: logins and their tokens are refused from the next request on.")
  static final class Disable extends One {
    @Override
    void run() {
      printOne(api().put(userPath(), new JsonObject().put("enabled", false)));
    }
  }

  @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable a disabled user.")
  static final class Enable extends One {
    @Override
    void run() {
      printOne(api().put(userPath(), new JsonObject().put("enabled", true)));
    }
  }

  @Command(name = "set-password", mixinStandardHelpOptions = true,
      description = "Set a user's password (prompted, or --password-stdin).")
  static final class SetPassword extends One {
    @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
    boolean passwordStdin;

    @Override
    void run() {
      ApiClient api = api();
      api.get(userPath()); // an unknown user fails before the password prompt
      api.put(userPath() + "/password",
          new JsonObject().put("password", Passwords.read(passwordStdin, "New password for " + user + ": ")));
      done("Password of " + user + " set.");
    }
  }

  @Command(name = "set-groups", mixinStandardHelpOptions = true,
      description = "Replace a user's groups; the TokenReview webhook answers with the new ones from the next review on.")
  static final class SetGroups extends One {
    @ArgGroup(exclusive = true, multiplicity = "1")
    GroupList groups;

    @Override
    void run() {
      printOne(api().put(userPath() + "/groups", new JsonObject().put("groups", new JsonArray(groups.names()))));
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a user.")
  static final class Delete extends One {
    @Override
    void run() {
      api().delete(userPath());
      done("Deleted user " + user + ".");
    }
  }
}
