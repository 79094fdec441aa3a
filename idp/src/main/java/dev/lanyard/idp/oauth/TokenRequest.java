package dev.lanyard.idp.oauth;

import dev.lanyard.idp.server.RequestBodies;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * A token request parsed once (RFC 6749 §3.2): form parameters, none repeated, plus the HTTP Basic
 * credentials if sent. Shape checks only; what the values mean is the grants' business. A Basic header that
 * does not decode is noted ({@code basicMalformed}), not thrown: refusing it is client authentication's part,
 * which audits it like any other failed client authentication.
 */
public record TokenRequest(Map<String, String> params, String basicClientId, String basicClientSecret,
    boolean basicMalformed) {

  /** Longest value we accept for any single parameter: real ones are far shorter. */
  static final int MAX_PARAM_LENGTH = 4_096;

  public String param(String name) {
    return params.get(name);
  }

  public String grantType() {
    return params.get("grant_type");
  }

  /** Parses; fails with invalid_request. */
  public static TokenRequest parse(HttpServerRequest request) {
    if (!RequestBodies.isForm(request)) {
      throw OAuthError.invalidRequest("the body must be application/x-www-form-urlencoded").exception();
    }
    MultiMap form = request.formAttributes();
    Map<String, String> params = new HashMap<>();
    for (String name : form.names()) {
      var values = form.getAll(name);
      // RFC 6749 §3.1: request parameters must not be included more than once.
      if (values.size() > 1) throw OAuthError.invalidRequest("parameter '" + name + "' is repeated").exception();
      String value = values.get(0);
      if (value.length() > MAX_PARAM_LENGTH) {
        throw OAuthError.invalidRequest("parameter '" + name + "' is too long").exception();
      }
      if (!value.isEmpty()) params.put(name, value); // an empty parameter counts as omitted (§3.1)
    }
    String authorization = request.getHeader("Authorization");
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return new TokenRequest(Map.copyOf(params), null, null, false);
    }
    String[] pair = decodeBasic(authorization.substring(6).trim());
    return pair == null ? new TokenRequest(Map.copyOf(params), null, null, true)
        : new TokenRequest(Map.copyOf(params), pair[0], pair[1], false);
  }

  /** Client id and secret, or null when the header does not decode. */
  private static String[] decodeBasic(String encoded) {
    try {
      String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      if (colon <= 0) throw new IllegalArgumentException();
      // RFC 6749 §2.3.1: client id and secret are form-urlencoded before Basic encoding.
      return new String[] {
          URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
          URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
