package dev.lanyard.idp.oauth;

/** Carries an {@link OAuthError} through a failed Future to {@link OAuthErrorResponder}. No stack trace: it is expected. */
public final class OAuthException extends RuntimeException {
  private final OAuthError error;

  public OAuthException(OAuthError error) {
    super(error.code() + (error.description() != null ? ": " + error.description() : ""), null, false, false);
    this.error = error;
  }

  public OAuthError error() {
    return error;
  }
}
