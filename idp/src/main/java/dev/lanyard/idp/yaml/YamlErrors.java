package dev.lanyard.idp.yaml;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.stream.Collectors;

/**
 * Turns a Jackson error on a YAML or JSON file into one line an operator can act on:
 * {@code file:LINE: path.to[2].field: what is wrong}.
 *
 * <p>Jackson binds records only once it has read a whole mapping, so the location it reports is the mapping's
 * end; the line of the offending key is found again by walking the file's tokens.
 */
public final class YamlErrors {
  private YamlErrors() {}

  public static String describe(Path file, JsonProcessingException e) {
    String path = e instanceof JsonMappingException m ? pathOf(m) : "";
    int line = path.isEmpty() ? -1 : lineOf(file, path);
    if (line < 0 && e.getLocation() != null) line = e.getLocation().getLineNr();
    String where = file + (line > 0 ? ":" + line : "");
    String message;
    if (e instanceof UnrecognizedPropertyException u) {
      message = "unknown key '" + u.getPropertyName() + "'";
    } else if (e.getCause() instanceof IllegalArgumentException iae && iae.getMessage() != null) {
      message = iae.getMessage();
    } else {
      message = firstLine(e.getOriginalMessage());
    }
    return where + ": " + (path.isEmpty() ? "" : path + ": ") + message;
  }

  /** The dotted path Jackson was at, e.g. {@code tenants[0].users[1].password}. */
  public static String pathOf(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining())
        .replaceFirst("^\\.", "");
  }

  /** The line where {@code path}'s key (or list item) starts, or -1. */
  static int lineOf(Path file, String path) {
    try (JsonParser p = new YAMLFactory().createParser(file.toFile())) {
      Deque<Container> open = new ArrayDeque<>();
      String field = null;
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
          open.pop();
          continue;
        }
        if (t == JsonToken.FIELD_NAME) {
          field = p.currentName();
          if (path.equals(join(open.peek().path, field))) return p.currentLocation().getLineNr();
          continue;
        }
        // A value, or a container starting: its path is the field just read or the next list index.
        String here;
        Container parent = open.peek();
        if (parent == null) {
          here = "";
        } else if (parent.isList) {
          here = parent.path + "[" + ++parent.index + "]";
          if (path.equals(here)) return p.currentLocation().getLineNr();
        } else {
          here = join(parent.path, field);
        }
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          open.push(new Container(here, t == JsonToken.START_ARRAY));
        }
      }
    } catch (Exception ignored) {
      // Best effort: the caller falls back to Jackson's own location.
    }
    return -1;
  }

  private static final class Container {
    final String path;
    final boolean isList;
    int index = -1;

    Container(String path, boolean isList) {
      this.path = path;
      this.isList = isList;
    }
  }

  private static String join(String prefix, String field) {
    return prefix.isEmpty() ? field : prefix + "." + field;
  }

  private static String firstLine(String s) {
    if (s == null) return "invalid value";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
