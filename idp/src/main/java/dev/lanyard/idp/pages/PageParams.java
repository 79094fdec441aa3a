package dev.lanyard.idp.pages;

import io.vertx.core.MultiMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parameters of a page request (query or form), checked for shape: each named parameter at most once and no
 * longer than a limit. Unknown parameters are ignored. Empty values count as absent (RFC 6749 §3.1).
 */
public final class PageParams {
  private final Map<String, String> values;

  private PageParams(Map<String, String> values) {
    this.values = values;
  }

  /**
   * @param names the parameters the page reads
   * @param maxLength longest value accepted
   * @throws Invalid naming the first repeated or oversize parameter
   */
  public static PageParams of(MultiMap params, Set<String> names, int maxLength) {
    Map<String, String> values = new HashMap<>();
    for (String name : names) {
      List<String> all = params.getAll(name);
      if (all.isEmpty()) continue;
      if (all.size() > 1) throw new Invalid("The parameter '" + name + "' was sent more than once.");
      String value = all.get(0);
      if (value.length() > maxLength) throw new Invalid("The parameter '" + name + "' is too long.");
      if (!value.isEmpty()) values.put(name, value);
    }
    return new PageParams(values);
  }

  public String get(String name) {
    return values.get(name);
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** A request whose parameters have the wrong shape; the message is safe to show. */
  public static final class Invalid extends RuntimeException {
    public Invalid(String message) {
      super(message, null, false, false);
    }
  }
}
