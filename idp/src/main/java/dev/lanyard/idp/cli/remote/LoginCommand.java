package dev.lanyard.idp.cli.remote;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lanyard login}: trades an administrator's password for an admin token ({@code POST /login}) and
 * writes server, CA file, tenant, username and token to the context file (0600) for later commands.
 */
@Command(name = "login", mixinStandardHelpOptions = true,
    description = "Log in to a running Lanyard as an administrator and save the admin token in the context file.")
final class LoginCommand extends RemoteCommand {
  @Option(names = {"-t", "--tenant"}, paramLabel = "T", defaultValue = "default",
      description = "The administrator's tenant (default: ${DEFAULT-VALUE}).")
  String tenant;

  @Option(names = {"-u", "--username"}, paramLabel = "U", required = true, description = "The administrator's username.")
  String username;

  @Option(names = "--password-stdin", description = "Read the password from the first line of standard input instead of prompting.")
  boolean passwordStdin;

  @Override
  void run() {
    Settings s = Settings.forLogin(remote, rootOptions(), env);
    String server = s.requireServer();
    ApiClient api = new ApiClient(server, null, s.cacert());
    String password = Passwords.read(passwordStdin, "Password for " + tenant + "/" + username + ": ");
    JsonObject answer = api.post("/login", new JsonObject().put("tenant", tenant).put("username", username)
        .put("password", password));
    String cacert = s.cacert() == null ? null : s.cacert().toAbsolutePath().toString();
    new Context(api.server(), cacert, tenant, username, answer.getString("token"), answer.getString("expiresAt"))
        .write(s.contextFile());
    if (json()) {
      out().println(new JsonObject().put("server", api.server()).put("tenant", tenant).put("username", username)
          .put("expiresAt", answer.getString("expiresAt")).put("context", s.contextFile().toString()).encodePrettily());
    } else {
      out().println("Logged in to " + api.server() + " as " + tenant + "/" + username + "; the token expires at "
          + answer.getString("expiresAt") + ". Saved in " + s.contextFile() + ".");
    }
  }
}
