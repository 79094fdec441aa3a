package dev.lanyard.idp.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the Kubernetes YAML files Lanyard hands out (kubeconfigs, AuthenticationConfiguration) with Jackson,
 * never by string concatenation, so any value is quoted correctly: {@link NonStringScalars} quotes strings
 * that would read back as numbers, booleans, null or timestamps.
 */
final class KubeconfigYaml {
  private static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
          .stringQuotingChecker(new NonStringScalars()).build())
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
      .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
      .disable(YAMLGenerator.Feature.SPLIT_LINES) // keep CEL expressions and long arguments on one line
      .build();

  private KubeconfigYaml() {}

  static String write(Object tree) {
    try {
      return YAML.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write YAML", e);
    }
  }

  /** A kubeconfig list entry: {@code name} first, then its one field. */
  static Map<String, Object> named(String name, String field, Object value) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put(field, value);
    return m;
  }

  /** A {@code *-data} field: the PEM text, base64-encoded. */
  static String base64(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
  }
}
