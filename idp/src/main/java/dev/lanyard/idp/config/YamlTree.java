package dev.lanyard.idp.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The configuration as plain data before binding: mappings are {@code Map<String, Object>}, sequences
 * {@code List<Object>}, scalars their text ({@code null} for YAML's null), plus the file line of every key.
 *
 * <p>Why not Jackson: binding records with Jackson databind (mapper set-up, deserializer construction by
 * reflection) cost ~120 ms of every start; SnakeYAML's composer alone is a fraction of that and keeps each
 * node's line, so an error can name it without reading the file again.
 */
final class YamlTree {
  private final Map<String, Object> root;
  private final Map<String, Integer> lines;
  private final Path file;

  private YamlTree(Map<String, Object> root, Map<String, Integer> lines, Path file) {
    this.root = root;
    this.lines = lines;
    this.file = file;
  }

  /** An empty tree: defaults only. */
  static YamlTree empty() {
    return new YamlTree(new LinkedHashMap<>(), new HashMap<>(), null);
  }

  /**
   * Reads a YAML file whose top level is a mapping (or which is empty).
   *
   * @throws ConfigException when the file is missing, unreadable or not YAML
   */
  static YamlTree read(Path file) {
    if (!Files.isRegularFile(file)) throw new ConfigException(List.of("configuration file " + file + " does not exist"));
    Node node;
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      LoaderOptions options = new LoaderOptions();
      node = new Composer(new ParserImpl(new StreamReader(reader), options), new Resolver(), options).getSingleNode();
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : -1;
      throw new ConfigException(List.of(file + (line > 0 ? ":" + line : "") + ": " + e.getProblem()));
    } catch (YAMLException e) {
      throw new ConfigException(List.of(file + ": " + e.getMessage()));
    } catch (IOException e) {
      throw new ConfigException(List.of("cannot read " + file + ": " + e.getMessage()));
    }
    Map<String, Integer> lines = new HashMap<>();
    if (node == null || isNull(node)) return new YamlTree(new LinkedHashMap<>(), lines, file);
    if (!(node instanceof MappingNode mapping)) {
      throw new ConfigException(List.of(file + ": the top level must be a mapping of keys"));
    }
    return new YamlTree(mapping(mapping, "", lines), lines, file);
  }

  Map<String, Object> root() {
    return root;
  }

  /** Where {@code path} was written, {@code file:LINE}; or null when it came from elsewhere or is unknown. */
  String location(String path) {
    Integer line = lines.get(path);
    return line == null ? null : file + ":" + line;
  }

  /**
   * Sets a dotted path to a value from the environment or command line, replacing what the file said.
   * Lists ({@code hostNames}, {@code redirectUris}) take comma-separated values.
   */
  @SuppressWarnings("unchecked")
  void set(String path, String value) {
    String[] parts = path.split("\\.");
    Map<String, Object> node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      Object child = node.get(parts[i]);
      if (!(child instanceof Map)) {
        child = new LinkedHashMap<String, Object>();
        node.put(parts[i], child);
      }
      node = (Map<String, Object>) child;
    }
    String leaf = parts[parts.length - 1];
    if (leaf.equals("hostNames") || leaf.equals("redirectUris")) {
      List<Object> list = new ArrayList<>();
      for (String item : value.split(",")) {
        if (!item.isBlank()) list.add(item.trim());
      }
      node.put(leaf, list);
    } else {
      node.put(leaf, value);
    }
    lines.keySet().removeIf(p -> p.equals(path) || p.startsWith(path + ".") || p.startsWith(path + "["));
  }

  private static Map<String, Object> mapping(MappingNode node, String prefix, Map<String, Integer> lines) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (NodeTuple tuple : node.getValue()) {
      String key = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : String.valueOf(tuple.getKeyNode());
      String path = prefix.isEmpty() ? key : prefix + "." + key;
      lines.put(path, tuple.getKeyNode().getStartMark().getLine() + 1);
      map.put(key, value(tuple.getValueNode(), path, lines));
    }
    return map;
  }

  private static Object value(Node node, String path, Map<String, Integer> lines) {
    if (node instanceof MappingNode m) return mapping(m, path, lines);
    if (node instanceof SequenceNode s) {
      List<Object> list = new ArrayList<>();
      for (Node item : s.getValue()) {
        String itemPath = path + "[" + list.size() + "]";
        lines.put(itemPath, item.getStartMark().getLine() + 1);
        list.add(value(item, itemPath, lines));
      }
      return list;
    }
    return isNull(node) ? null : ((ScalarNode) node).getValue();
  }

  private static boolean isNull(Node node) {
    return node instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
  }
}
