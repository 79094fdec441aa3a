package dev.lanyard.idp.cli.remote;

import java.util.List;

/** The admin API client commands, for {@code Main} to register. */
public final class RemoteCommands {
  private RemoteCommands() {}

  public static List<Object> all() {
    return List.of(new LoginCommand(), new LogoutCommand(), new TenantCommand(), new UserCommand(), new GroupCommand(), new ClientCommand(),
        new RobotCommand(), new TokenCommand(), new ClusterCommand(), new KeysCommand(), new AuditCommand());
  }

  /** Whether a failure is an expected one whose message is shown alone. */
  public static boolean expected(Throwable e) {
    return e instanceof RemoteException;
  }

  /** Whether {@code LANYARD_DEBUG} asks for the stack trace of an unexpected failure. */
  public static boolean debug() {
    String v = RemoteCommand.env.get("LANYARD_DEBUG");
    return v != null && !v.isBlank() && !v.equals("0") && !v.equalsIgnoreCase("false");
  }
}
