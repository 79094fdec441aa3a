package dev.lanyard.discovery;

/** {@code If-None-Match} evaluation (RFC 9110 §13.1.2): weak comparison, lists and {@code *}, no allocation. */
final class EntityTags {
  private EntityTags() {}

  /**
   * Whether the header value {@code ifNoneMatch} names {@code etag} (a quoted strong tag) or is {@code *}.
   * {@code W/"x"} matches {@code "x"} (weak comparison, as §13.1.2 requires). Garbage list members are skipped.
   */
  static boolean matches(String ifNoneMatch, String etag) {
    int n = ifNoneMatch.length();
    int i = 0;
    while (i < n) {
      char c = ifNoneMatch.charAt(i);
      if (c == ' ' || c == '\t' || c == ',') {
        i++;
        continue;
      }
      if (c == '*') {
        return true;
      }
      if (c == 'W' && i + 2 < n && ifNoneMatch.charAt(i + 1) == '/') {
        i += 2;
        c = ifNoneMatch.charAt(i);
      }
      if (c == '"') {
        int end = ifNoneMatch.indexOf('"', i + 1);
        if (end < 0) {
          return false;
        }
        if (end + 1 - i == etag.length() && ifNoneMatch.regionMatches(i, etag, 0, etag.length())) {
          return true;
        }
        i = end + 1;
      } else {
        int comma = ifNoneMatch.indexOf(',', i);
        if (comma < 0) {
          return false;
        }
        i = comma + 1;
      }
    }
    return false;
  }
}
