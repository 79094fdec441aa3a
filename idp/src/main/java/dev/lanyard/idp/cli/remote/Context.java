package dev.lanyard.idp.cli.remote;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The context file {@code lanyard login} writes: server, CA file, tenant, username and the admin token, as
 * flat YAML ({@code key: "value"}, values JSON-quoted). Written with owner-only permissions (0600) since it
 * holds a bearer token.
 */
record Context(String server, String cacert, String tenant, String username, String token, String expiresAt) {

  static Path defaultFile() {
    return Path.of(System.getProperty("user.home"), ".config", "lanyard", "context.yaml");
  }

  /** Reads the file; null when it does not exist. */
  static Context read(Path file) {
    if (!Files.isRegularFile(file)) return null;
    Map<String, String> values = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(file)) {
        String l = line.strip();
        int colon = l.indexOf(':');
        if (l.isEmpty() || l.startsWith("#") || colon < 1) continue;
        values.put(l.substring(0, colon).strip(), unquote(l.substring(colon + 1).strip()));
      }
    } catch (IOException | RuntimeException e) {
      throw new RemoteException("cannot read context file " + file + ": " + e.getMessage());
    }
    return new Context(values.get("server"), values.get("cacert"), values.get("tenant"), values.get("username"),
        values.get("token"), values.get("expiresAt"));
  }

  void write(Path file) {
    StringBuilder yaml = new StringBuilder("# written by 'lanyard login'; holds an admin token\n");
    line(yaml, "server", server);
    line(yaml, "cacert", cacert);
    line(yaml, "tenant", tenant);
    line(yaml, "username", username);
    line(yaml, "token", token);
    line(yaml, "expiresAt", expiresAt);
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (!Files.isDirectory(dir)) {
        if (posix) {
          Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
          Files.createDirectories(dir);
        }
      }
      Path tmp = dir.resolve(file.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      if (posix) {
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(tmp);
      }
      Files.writeString(tmp, yaml);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new RemoteException("cannot write context file " + file + ": " + e.getMessage());
    }
  }

  private static void line(StringBuilder yaml, String key, String value) {
    if (value == null) return;
    String quoted = new JsonArray().add(value).encode();
    yaml.append(key).append(": ").append(quoted, 1, quoted.length() - 1).append('\n');
  }

  private static String unquote(String v) {
    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
      return new JsonObject("{\"v\":" + v + "}").getString("v");
    }
    if (v.length() >= 2 && v.startsWith("'") && v.endsWith("'")) return v.substring(1, v.length() - 1).replace("''", "'");
    return v.isEmpty() ? null : v;
  }
}
