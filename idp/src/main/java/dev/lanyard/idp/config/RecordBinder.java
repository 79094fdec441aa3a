package dev.lanyard.idp.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Binds a {@link YamlTree} to configuration records through their components: nested records, String,
 * Integer, Boolean, {@link Duration} ({@link DurationText}) and {@code List<String>}. A key left out is passed
 * as null, so each record's compact constructor supplies the default. Unknown keys and values of the wrong
 * type are collected, all of them, as {@code file:LINE: path: what is wrong}.
 *
 * <p>Why by hand rather than Jackson databind: see {@link YamlTree}. The records are few and their
 * component types fixed, so a generic binder over {@link RecordComponent} is short.
 */
final class RecordBinder {
  private final YamlTree tree;
  private final List<String> problems = new ArrayList<>();

  private RecordBinder(YamlTree tree) {
    this.tree = tree;
  }

  /**
   * The record of type {@code type} that {@code tree} describes.
   *
   * @throws ConfigException listing every unknown key and wrongly typed value
   */
  static <R extends Record> R bind(YamlTree tree, Class<R> type) {
    RecordBinder binder = new RecordBinder(tree);
    R value = binder.record(type, tree.root(), "");
    if (!binder.problems.isEmpty()) throw new ConfigException(binder.problems);
    return value;
  }

  /** Every leaf of {@code value} by dotted path, as written in YAML; lists comma-separated. */
  static Map<String, String> leaves(Record value) {
    Map<String, String> out = new LinkedHashMap<>();
    collectLeaves(value, "", out);
    return out;
  }

  private <R extends Record> R record(Class<R> type, Map<String, Object> map, String prefix) {
    RecordComponent[] components = type.getRecordComponents();
    Object[] args = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      String path = join(prefix, c.getName());
      Object raw = map.get(c.getName());
      if (raw != null) args[i] = convert(raw, c.getGenericType(), path);
    }
    for (String key : map.keySet()) {
      if (Arrays.stream(components).noneMatch(c -> c.getName().equals(key))) {
        String known = Arrays.stream(components).map(RecordComponent::getName).sorted()
            .collect(Collectors.joining(", "));
        problem(join(prefix, key), "unknown key '" + key + "' (known here: " + known + ")");
      }
    }
    try {
      Constructor<R> constructor = type.getDeclaredConstructor(
          Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
      return constructor.newInstance(args);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("cannot build " + type.getSimpleName(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private Object convert(Object raw, Type type, String path) {
    if (type instanceof Class<?> c && c.isRecord()) {
      if (raw instanceof Map<?, ?> m) return record(c.asSubclass(Record.class), (Map<String, Object>) m, path);
      return problem(path, "expected a mapping of keys");
    }
    if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
      if (!(raw instanceof List<?> list)) return problem(path, "expected a list");
      List<String> items = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        if (list.get(i) instanceof String s) {
          items.add(s);
        } else {
          problem(path + "[" + i + "]", "expected a text value");
        }
      }
      return items;
    }
    if (!(raw instanceof String text)) return problem(path, "expected a single value");
    if (type == String.class) return text;
    if (type == Integer.class) {
      try {
        return Integer.valueOf(text.trim());
      } catch (NumberFormatException e) {
        return problem(path, "'" + text + "' is not a whole number");
      }
    }
    if (type == Boolean.class) {
      return switch (text.trim().toLowerCase(Locale.ROOT)) {
        case "true" -> Boolean.TRUE;
        case "false" -> Boolean.FALSE;
        default -> problem(path, "'" + text + "' is not true or false");
      };
    }
    if (type == Duration.class) {
      try {
        return DurationText.parse(text);
      } catch (IllegalArgumentException e) {
        return problem(path, e.getMessage());
      }
    }
    throw new IllegalStateException(path + ": no binding for " + type);
  }

  /** Records a problem; returns null, the value bound in its place. */
  private Object problem(String path, String message) {
    String where = tree.location(path);
    problems.add((where != null ? where + ": " : "") + path + ": " + message);
    return null;
  }

  private static void collectLeaves(Record value, String prefix, Map<String, String> out) {
    for (RecordComponent c : value.getClass().getRecordComponents()) {
      Object v;
      try {
        v = c.getAccessor().invoke(value);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
      String path = join(prefix, c.getName());
      if (v instanceof Record r) {
        collectLeaves(r, path, out);
      } else if (v instanceof List<?> list) {
        out.put(path, list.stream().map(String::valueOf).collect(Collectors.joining(",")));
      } else if (v instanceof Duration d) {
        out.put(path, DurationText.format(d));
      } else {
        out.put(path, String.valueOf(v));
      }
    }
  }

  private static String join(String prefix, String key) {
    return prefix.isEmpty() ? key : prefix + "." + key;
  }
}
