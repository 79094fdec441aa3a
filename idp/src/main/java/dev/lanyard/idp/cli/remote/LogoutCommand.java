package dev.lanyard.idp.cli.remote;

import picocli.CommandLine.Command;

/**
 * {@code lanyard logout}: revokes the admin token ({@code POST /logout}) and removes it from the context file,
 * keeping the server and CA there for the next {@code login}.
 */
@Command(name = "logout", mixinStandardHelpOptions = true,
    description = "Revoke the admin token and remove it from the context file.")
final class LogoutCommand extends RemoteCommand {
  @Override
  void run() {
    Settings s = settings();
    ApiClient api = new ApiClient(s.requireServer(), s.requireToken(), s.cacert());
    boolean revoked = true;
    try {
      api.post("/logout", null);
    } catch (RemoteException e) {
      if (e.status != 401) throw e;
      revoked = false; // expired or revoked already: nothing left to revoke, only to forget
    }
    Context ctx = Context.read(s.contextFile());
    boolean forgotten = ctx != null && s.token().equals(ctx.token());
    if (forgotten) {
      new Context(ctx.server(), ctx.cacert(), ctx.tenant(), ctx.username(), null, null).write(s.contextFile());
    }
    done((revoked ? "Logged out of " + api.server() + ": the token is revoked" : "The token was no longer valid")
        + (forgotten ? " and removed from " + s.contextFile() : "") + ".");
  }
}
