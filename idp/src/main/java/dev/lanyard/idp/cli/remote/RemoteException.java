package dev.lanyard.idp.cli.remote;

/**
 * An expected failure of a remote command (an API error, an unreachable server, an untrusted certificate,
 * missing settings): its message is shown as is, without a stack trace, and the command exits 1.
 */
public final class RemoteException extends RuntimeException {
  /** The HTTP status of the API's error answer; 0 when the failure is not one. */
  final int status;

  public RemoteException(String message) {
    this(message, 0);
  }

  RemoteException(String message, int status) {
    super(message, null, false, false);
    this.status = status;
  }
}
