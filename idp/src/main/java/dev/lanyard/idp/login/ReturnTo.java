package dev.lanyard.idp.login;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where the login page sends the browser after a sign-in: only a path on this tenant ({@code /t/{tenant}/...}),
 * never another host (an open redirect), another tenant, or anything a browser might read as a host
 * ({@code //evil}, {@code /\evil}).
 */
public final class ReturnTo {
  static final int MAX_LENGTH = 8_192;

  private ReturnTo() {}

  /** {@code value} if it is a safe return path on {@code tenantId}, else null. */
  public static String validate(String tenantId, String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) return null;
    String prefix = "/t/" + tenantId + "/";
    if (!value.startsWith(prefix) || value.contains("\\") || value.contains("#")) return null;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x21 || c == 0x7f) return null; // no spaces or controls (header splitting, odd parsing)
    }
    try {
      URI uri = new URI(value);
      if (uri.getScheme() != null || uri.getRawAuthority() != null) return null;
      // Normalising must not leave the tenant: /t/a/../b/...
      String path = uri.normalize().getRawPath();
      if (path == null || !path.startsWith(prefix) || path.contains("/../") || path.contains("/./")) return null;
      if (!path.equals(uri.getRawPath())) return null;
      return value;
    } catch (URISyntaxException e) {
      return null;
    }
  }
}
