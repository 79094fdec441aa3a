package dev.lanyard.idp.authorize;

import dev.lanyard.storage.model.Tenant;

/**
 * An authorization error shown to the user as a page, never redirected: the client or its redirect URI is unknown
 * or unproven (RFC 6749 §4.1.2.1), so a redirect could deliver the browser to an attacker.
 */
final class DisplayedError extends RuntimeException {
  final int status;
  final String title;
  /** The tenant whose page this is, or null when unknown. */
  final Tenant tenant;

  DisplayedError(int status, String title, String message) {
    this(status, title, message, null);
  }

  DisplayedError(int status, String title, String message, Tenant tenant) {
    super(message, null, false, false);
    this.status = status;
    this.title = title;
    this.tenant = tenant;
  }
}
