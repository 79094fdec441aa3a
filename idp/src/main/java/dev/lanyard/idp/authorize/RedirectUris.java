package dev.lanyard.idp.authorize;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Matches a requested redirect URI against a client's registered ones: byte for byte (RFC 6749 §3.1.2.2, OAuth
 * 2.0 Security BCP §4.1), except for native apps' loopback redirects, where the port may differ (RFC 8252 §7.3):
 * {@code http://127.0.0.1:{any}}, {@code http://[::1]:{any}} and {@code http://localhost:{any}} match a registered
 * loopback URI with the same path and query. The IP literals admit each other, and a registered
 * {@code http://localhost...} admits them too (kubelogin registers localhost but may listen on 127.0.0.1); a
 * requested localhost needs a registered localhost. Fragments never match.
 */
public final class RedirectUris {
  /** kubelogin's keyboard mode: the code is shown on a page for the user to paste. */
  public static final String OOB = "urn:ietf:wg:oauth:2.0:oob";

  private RedirectUris() {}

  public static boolean matches(List<String> registered, String requested) {
    if (requested == null || requested.indexOf('#') >= 0) return false;
    if (registered.contains(requested)) return true;
    Loopback asked = Loopback.parse(requested);
    if (asked == null) return false;
    for (String r : registered) {
      Loopback reg = Loopback.parse(r);
      if (reg != null && reg.admits(asked)) return true;
    }
    return false;
  }

  /** An {@code http} loopback URI split into what must match (host, path, query) and what need not (port). */
  private record Loopback(String host, String path, String query) {
    static Loopback parse(String uri) {
      try {
        URI u = new URI(uri);
        if (!"http".equals(u.getScheme()) || u.getRawUserInfo() != null || u.getRawFragment() != null) return null;
        String host = u.getHost() == null ? null : u.getHost().toLowerCase(Locale.ROOT);
        if (!"127.0.0.1".equals(host) && !"[::1]".equals(host) && !"localhost".equals(host)) return null;
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        return new Loopback(host, path, u.getRawQuery());
      } catch (URISyntaxException e) {
        return null;
      }
    }

    boolean admits(Loopback asked) {
      // 127.0.0.1 and [::1] are one loopback to a native app (it binds whichever the machine has).
      boolean hostOk = host.equals(asked.host) || !"localhost".equals(asked.host);
      return hostOk && path.equals(asked.path) && Objects.equals(query, asked.query);
    }
  }
}
