package dev.lanyard.discovery;

/** Tenant id syntax: {@code [a-z0-9][a-z0-9-]{0,62}}, checked before any storage lookup. */
final class TenantIds {
  private TenantIds() {}

  static boolean isValid(String id) {
    int n = id == null ? 0 : id.length();
    if (n == 0 || n > 63) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && i > 0);
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
