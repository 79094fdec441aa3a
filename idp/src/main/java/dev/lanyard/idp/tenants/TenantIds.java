package dev.lanyard.idp.tenants;

import java.util.regex.Pattern;

/** Tenant ids appear in issuer URLs, so they are kept to a URL- and DNS-safe alphabet. */
public final class TenantIds {
  private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private TenantIds() {}

  public static boolean isValid(String id) {
    return id != null && VALID.matcher(id).matches();
  }
}
