package dev.lanyard.idp.authorize;

/**
 * An authorization error to send to the client's (registered, checked) redirect URI as {@code error},
 * {@code error_description}, {@code state} and {@code iss} (RFC 6749 §4.1.2.1, RFC 9207).
 */
final class RedirectError extends RuntimeException {
  final String redirectUri;
  final String state;
  final String issuer;
  final String code;

  RedirectError(String redirectUri, String state, String issuer, String code, String description) {
    super(description, null, false, false);
    this.redirectUri = redirectUri;
    this.state = state;
    this.issuer = issuer;
    this.code = code;
  }
}
