package dev.lanyard.idp.authorize;

/**
 * An authorization error shown to the user as a page, never redirected: the client or its redirect URI is unknown
 * or unproven (RFC 6749 §4.1.2.1), so a redirect could deliver the browser to an attacker.
 */
final class DisplayedError extends RuntimeException {
  final int status;
  final String title;

  DisplayedError(int status, String title, String message) {
    super(message, null, false, false);
    this.status = status;
    this.title = title;
  }
}
