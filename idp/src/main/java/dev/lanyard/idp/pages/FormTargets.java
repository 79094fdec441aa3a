package dev.lanyard.idp.pages;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

/**
 * Origins for a page's CSP {@code form-action} ({@link PageRenderer.Page#formTargets}): browsers check every
 * redirect that follows a form submission against the submitting page's form-action, so a form whose answer is
 * redirected to a client must name the client's origin.
 */
public final class FormTargets {
  private FormTargets() {}

  /** The http(s) origin of {@code uri} as a CSP source, or none for anything else (urn:, malformed). */
  public static List<String> originOf(String uri) {
    if (uri == null) return List.of();
    try {
      URI u = new URI(uri);
      String scheme = u.getScheme();
      String authority = u.getRawAuthority();
      // Only plain host[:port] authorities go into the header: nothing that could end the directive early.
      if (("http".equals(scheme) || "https".equals(scheme)) && authority != null
          && authority.matches("[A-Za-z0-9.\\-\\[\\]:]+")) {
        return List.of(scheme + "://" + authority);
      }
    } catch (URISyntaxException ignored) {
      // no origin
    }
    return List.of();
  }
}
