package dev.lanyard.idp.oauth;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The scopes Lanyard knows; a request's unknown scopes are dropped, not refused (RFC 6749 §3.3). */
public final class Scopes {
  public static final String OPENID = "openid";
  public static final String EMAIL = "email";
  public static final String PROFILE = "profile";
  public static final String GROUPS = "groups";
  public static final String OFFLINE_ACCESS = "offline_access";

  /** Advertised in discovery. */
  public static final List<String> SUPPORTED = List.of(OPENID, EMAIL, PROFILE, GROUPS, OFFLINE_ACCESS);

  private Scopes() {}

  /** The known scopes of a space-separated {@code scope} parameter, in request order. */
  public static Set<String> granted(String scopeParam) {
    Set<String> granted = new LinkedHashSet<>();
    if (scopeParam == null) return granted;
    for (String s : scopeParam.split(" ")) {
      if (SUPPORTED.contains(s)) granted.add(s);
    }
    return granted;
  }
}
