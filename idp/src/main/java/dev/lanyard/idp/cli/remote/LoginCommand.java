package dev.lanyard.idp.cli.remote;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lanyard login}: trades an administrator's password for an admin token ({@code POST /login}), or takes an
 * admin token from standard input (e.g. one {@code lanyard admin-token} minted) once the server accepts it
 * ({@code GET /me}), and writes server, CA file, tenant, username and token to the context file (0600) for later
 * commands.
 */
@Command(name = "login", mixinStandardHelpOptions = true,
    description = {"Log in to a running Lanyard as an administrator and save the admin token in the context file.",
        "With --username: the password is prompted (or --password-stdin). With --token-stdin: an admin token"
            + " (lya_..., e.g. from 'lanyard admin-token') is read from standard input and checked against the server."})
final class LoginCommand extends RemoteCommand {
  @Option(names = {"-t", "--tenant"}, paramLabel = "T", defaultValue = "default",
      description = "The administrator's tenant (default: ${DEFAULT-VALUE}).")
  String tenant;

  @Option(names = {"-u", "--username"}, paramLabel = "U", description = "The administrator's username.")
  String username;

  @Option(names = "--password-stdin", description = "Read the password from the first line of standard input instead of prompting.")
  boolean passwordStdin;

  @Option(names = "--token-stdin", description = "Read an admin token from the first line of standard input instead of a password.")
  boolean tokenStdin;

  @Override
  void run() {
    if (tokenStdin && (username != null || passwordStdin)) {
      throw usage("--token-stdin takes no --username or --password-stdin");
    }
    if (!tokenStdin && username == null) {
      throw usage("give --username (a password login) or --token-stdin");
    }
    Settings s = Settings.forLogin(remote, rootOptions(), env);
    String server = s.requireServer();
    Context ctx;
    if (tokenStdin) {
      String token = Passwords.stdinLine("token");
      if (token == null || token.isBlank()) throw new RemoteException("no token given on standard input");
      ApiClient api = new ApiClient(server, token.strip(), s.cacert());
      JsonObject me = api.get("/me");
      ctx = context(api, s, me.getString("tenant"), me.getString("username"), token.strip(), null);
    } else {
      ApiClient api = new ApiClient(server, null, s.cacert());
      String password = Passwords.read(passwordStdin, "Password for " + tenant + "/" + username + ": ");
      JsonObject answer = api.post("/login", new JsonObject().put("tenant", tenant).put("username", username)
          .put("password", password));
      ctx = context(api, s, tenant, username, answer.getString("token"), answer.getString("expiresAt"));
    }
    ctx.write(s.contextFile());
    if (json()) {
      out().println(new JsonObject().put("server", ctx.server()).put("tenant", ctx.tenant()).put("username", ctx.username())
          .put("expiresAt", ctx.expiresAt()).put("context", s.contextFile().toString()).encodePrettily());
    } else {
      out().println("Logged in to " + ctx.server() + " as " + ctx.tenant() + "/" + ctx.username()
          + (ctx.expiresAt() == null ? "" : "; the token expires at " + ctx.expiresAt()) + ". Saved in "
          + s.contextFile() + ".");
    }
  }

  private static Context context(ApiClient api, Settings s, String tenant, String username, String token, String expiresAt) {
    String cacert = s.cacert() == null ? null : s.cacert().toAbsolutePath().toString();
    return new Context(api.server(), cacert, tenant, username, token, expiresAt);
  }
}
