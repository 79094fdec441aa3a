package dev.lanyard.idp.cli.remote;

import java.nio.file.Path;
import java.util.Map;

/** The effective server, token and CA of one remote command, and the context file they may come from. */
record Settings(String server, String token, Path cacert, Path contextFile) {

  /**
   * Merges, first non-null winning: the subcommand's options, {@code lanyard}'s options, the environment,
   * the context file. The context's token and CA are used only for the context's own server, so a token is
   * never sent to a server it was not issued by.
   */
  static Settings resolve(RemoteOptions local, RemoteOptions root, Map<String, String> env) {
    Path contextFile = first(opt(local, o -> o.context), opt(root, o -> o.context), path(env.get("LANYARD_CONTEXT")));
    if (contextFile == null) contextFile = Context.defaultFile();
    Context ctx = Context.read(contextFile);
    String server = first(opt(local, o -> o.server), opt(root, o -> o.server), env.get("LANYARD_SERVER"));
    boolean ctxServer = ctx != null && (server == null || sameServer(server, ctx.server()));
    if (server == null && ctx != null) server = ctx.server();
    String token = first(opt(local, o -> o.token), opt(root, o -> o.token), env.get("LANYARD_TOKEN"),
        ctxServer ? ctx.token() : null);
    Path cacert = first(opt(local, o -> o.cacert), opt(root, o -> o.cacert), path(env.get("LANYARD_CACERT")),
        ctxServer ? path(ctx.cacert()) : null);
    return new Settings(server, token, cacert, contextFile);
  }

  /** Settings for {@code login}: server and CA only; the context file is the one it writes. */
  static Settings forLogin(RemoteOptions local, RemoteOptions root, Map<String, String> env) {
    Settings s = resolve(local, root, env);
    return new Settings(s.server(), null, s.cacert(), s.contextFile());
  }

  String requireServer() {
    if (server == null || server.isBlank()) {
      throw new RemoteException("no server: pass --server URL, set LANYARD_SERVER, or run 'lanyard login'");
    }
    return server;
  }

  String requireToken() {
    if (token == null || token.isBlank()) {
      throw new RemoteException("not logged in: pass --token, set LANYARD_TOKEN, or run 'lanyard login'");
    }
    return token;
  }

  static boolean sameServer(String a, String b) {
    return strip(a).equalsIgnoreCase(strip(b));
  }

  private static String strip(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static <T> T opt(RemoteOptions o, java.util.function.Function<RemoteOptions, T> f) {
    return o == null ? null : f.apply(o);
  }

  private static Path path(String s) {
    return s == null || s.isBlank() ? null : Path.of(s);
  }

  @SafeVarargs
  private static <T> T first(T... values) {
    for (T v : values) if (v != null) return v;
    return null;
  }
}
