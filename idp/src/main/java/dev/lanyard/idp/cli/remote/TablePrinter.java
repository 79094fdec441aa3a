package dev.lanyard.idp.cli.remote;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Prints JSON objects as an aligned text table (one row each) or as "key: value" lines (one object). */
final class TablePrinter {
  private final List<String> headers = new ArrayList<>();
  private final List<String> fields = new ArrayList<>();

  /** Columns as pairs: header, field name, header, field name, ... */
  static TablePrinter of(String... headerAndField) {
    TablePrinter t = new TablePrinter();
    for (int i = 0; i + 1 < headerAndField.length; i += 2) {
      t.headers.add(headerAndField[i]);
      t.fields.add(headerAndField[i + 1]);
    }
    return t;
  }

  void print(JsonArray items, PrintWriter out) {
    List<String[]> rows = new ArrayList<>();
    rows.add(headers.toArray(String[]::new));
    for (Object o : items) {
      JsonObject item = o instanceof JsonObject j ? j : new JsonObject();
      rows.add(fields.stream().map(f -> text(item.getValue(f))).toArray(String[]::new));
    }
    int[] width = new int[headers.size()];
    for (String[] row : rows) for (int i = 0; i < row.length; i++) width[i] = Math.max(width[i], row[i].length());
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(row[i]);
        if (i < row.length - 1) line.append(" ".repeat(width[i] - row[i].length() + 2));
      }
      out.println(line.toString().stripTrailing());
    }
    out.flush();
  }

  /** One object, a line per field, in the API's field order. */
  static void details(JsonObject o, PrintWriter out) {
    int width = o.fieldNames().stream().mapToInt(String::length).max().orElse(0);
    o.forEach(e -> out.println(e.getKey() + ":" + " ".repeat(width - e.getKey().length() + 1) + text(e.getValue())));
    out.flush();
  }

  static String text(Object v) {
    if (v == null) return "-";
    if (v instanceof JsonArray a) {
      if (a.isEmpty()) return "-";
      StringBuilder s = new StringBuilder();
      for (Object x : a) s.append(s.length() == 0 ? "" : ",").append(x instanceof JsonObject ? ((JsonObject) x).encode() : x);
      return s.toString();
    }
    if (v instanceof JsonObject j) return j.encode();
    return v.toString();
  }
}
