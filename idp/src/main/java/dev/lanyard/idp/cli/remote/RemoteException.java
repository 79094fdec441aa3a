package dev.lanyard.idp.cli.remote;

/**
 * An expected failure of a remote command (an API error, an unreachable server, an untrusted certificate,
 * missing settings): its message is shown as is, without a stack trace, and the command exits 1.
 */
public final class RemoteException extends RuntimeException {
  public RemoteException(String message) {
    super(message, null, false, false);
  }
}
