package dev.lanyard.idp.cli.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where server, token and CA come from: options, then environment, then the context file. */
class RemoteSettingsTest {
  @TempDir
  Path dir;

  static RemoteOptions options(String server, String token, String cacert, Path context) {
    RemoteOptions o = new RemoteOptions();
    o.server = server;
    o.token = token;
    o.cacert = cacert == null ? null : Path.of(cacert);
    o.context = context;
    return o;
  }

  @Test
  @DisplayName("subcommand options win over lanyard's, which win over the environment, which wins over the context")
  void precedence() {
    Path ctx = dir.resolve("context.yaml");
    new Context("https://ctx:8443", "/ctx/ca.pem", "default", "admin", "lya_ctx", null).write(ctx);
    Map<String, String> env = Map.of("LANYARD_SERVER", "https://env:8443", "LANYARD_TOKEN", "lya_env",
        "LANYARD_CACERT", "/env/ca.pem", "LANYARD_CONTEXT", ctx.toString());
    Settings fromEnv = Settings.resolve(null, null, env);
    assertThat(fromEnv).isEqualTo(new Settings("https://env:8443", "lya_env", Path.of("/env/ca.pem"), ctx));
    Settings fromRoot = Settings.resolve(options(null, null, null, null), options("https://root", "lya_root", null, null), env);
    assertThat(fromRoot.server()).isEqualTo("https://root");
    assertThat(fromRoot.token()).isEqualTo("lya_root");
    Settings fromLocal = Settings.resolve(options("https://local", null, "/l.pem", null), options("https://root", "lya_root", null, null), env);
    assertThat(fromLocal.server()).isEqualTo("https://local");
    assertThat(fromLocal.token()).isEqualTo("lya_root");
    assertThat(fromLocal.cacert()).isEqualTo(Path.of("/l.pem"));
    Settings fromContext = Settings.resolve(null, null, Map.of("LANYARD_CONTEXT", ctx.toString()));
    assertThat(fromContext).isEqualTo(new Settings("https://ctx:8443", "lya_ctx", Path.of("/ctx/ca.pem"), ctx));
  }

  @Test
  @DisplayName("the context's token and CA are used for the context's server only")
  void tokenStaysWithItsServer() {
    Path ctx = dir.resolve("context.yaml");
    new Context("https://ctx:8443", "/ctx/ca.pem", "default", "admin", "lya_ctx", null).write(ctx);
    Settings other = Settings.resolve(options("https://elsewhere", null, null, ctx), null, Map.of());
    assertThat(other.token()).isNull();
    assertThat(other.cacert()).isNull();
    assertThatThrownBy(other::requireToken).isInstanceOf(RemoteException.class).hasMessageContaining("not logged in");
    Settings same = Settings.resolve(options("https://ctx:8443/", null, null, ctx), null, Map.of());
    assertThat(same.token()).isEqualTo("lya_ctx");
  }

  @Test
  @DisplayName("the context file round-trips values with quotes, backslashes and colons")
  void contextRoundTrip() {
    Path ctx = dir.resolve("sub/dir/context.yaml");
    Context c = new Context("https://h:1", "C:\\ca \"x\".pem", "t", "a: b", "lya_x", "2026-01-01T00:00:00Z");
    c.write(ctx);
    assertThat(Context.read(ctx)).isEqualTo(c);
    assertThat(Context.read(dir.resolve("absent.yaml"))).isNull();
  }

  @Test
  @DisplayName("problem JSON becomes title, detail and one line per field; other bodies name the status")
  void problems() {
    assertThat(Problems.describe(400, "{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,"
        + "\"detail\":\"the request has invalid fields\",\"errors\":[{\"field\":\"name\",\"message\":\"required\"}]}", true, null))
        .isEqualTo("Bad Request: the request has invalid fields" + System.lineSeparator() + "  name: required");
    assertThat(Problems.describe(502, "<html>bad gateway</html>", true, null)).isEqualTo("the server answered HTTP 502");
    assertThat(Problems.describe(404, "", true, null)).isEqualTo("the server answered HTTP 404");
    String unauthorized = "{\"title\":\"Unauthorized\",\"status\":401}";
    assertThat(Problems.describe(401, unauthorized, true, null)).isEqualTo(
        "Unauthorized (log in again with 'lanyard login', or pass a valid --token)");
    assertThat(Problems.describe(401, unauthorized, false, null)).isEqualTo("Unauthorized");
    assertThat(Problems.describe(429, "{\"title\":\"Too Many Requests\",\"detail\":\"slow down\"}", false, "7"))
        .isEqualTo("Too Many Requests: slow down (try again in 7 s)");
    assertThat(Problems.describe(503, "", true, "Wed, 21 Oct 2026 07:28:00 GMT"))
        .isEqualTo("the server answered HTTP 503 (try again after Wed, 21 Oct 2026 07:28:00 GMT)");
  }
}
