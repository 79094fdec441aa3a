package dev.lanyard.idp.k8s;

import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import java.util.regex.Pattern;

/**
 * Quotes every string a YAML 1.1 or 1.2 resolver would read as something else. With {@code MINIMIZE_QUOTES}
 * Jackson quotes only booleans, null and a few number forms, so a client id {@code 12345} or {@code 0x1F} came
 * out plain, and the kube-apiserver (which decodes its files strictly into strings) refused {@code audiences:
 * [12345]} and did not start. Quoting a string that needed none is harmless; the patterns err on that side.
 */
final class NonStringScalars extends StringQuotingChecker.Default {
  private static final long serialVersionUID = 1L;

  private static final Pattern NON_STRING = Pattern.compile(String.join("|",
      // booleans (1.1: y, n, yes, no, on, off too) and null (also ~ and the empty string), in any case
      "(?i:y|n|yes|no|on|off|true|false|null|~|)",
      // integers: binary, octal (0755, 0o755), hex, decimal with '_', sexagesimal (1:30)
      "[-+]?(?:0b[0-1_]+|0o[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(?::[0-5]?[0-9])*)",
      // floats: 1.5, .5, 1., 1e5, 1.5e+3, 1_000.5, sexagesimal (1:30.5), .inf, .nan
      "[-+]?(?:\\.[0-9_]+|[0-9][0-9_]*(?:\\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?",
      "[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*",
      "(?i:[-+]?\\.inf|\\.nan)",
      // timestamps: 2001-12-14, 2001-12-14t21:59:43.10-05:00, 2001-12-14 21:59:43.10 -5
      "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt \\t].*)?",
      // merge key and the 1.1 value indicator
      "<<|="));

  @Override
  public boolean needToQuoteValue(String value) {
    return super.needToQuoteValue(value) || NON_STRING.matcher(value).matches();
  }
}
