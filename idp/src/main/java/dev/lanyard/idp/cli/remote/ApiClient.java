package dev.lanyard.idp.cli.remote;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Calls the admin REST API ({@code {server}/admin/api/v1}) with the JDK HttpClient. Answers are JSON
 * objects (an empty one for 204); an RFC 9457 problem, an unreachable server or an untrusted certificate
 * becomes a {@link RemoteException} with one readable message.
 */
public final class ApiClient {
  static final String BASE = "/admin/api/v1";
  private static final int PAGE = 500;

  private final String server;
  private final String token;
  private final HttpClient http;

  ApiClient(String server, String token, Path cacert) {
    this.server = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
    this.token = token;
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
    if (cacert != null) b.sslContext(Tls.trusting(cacert));
    this.http = b.build();
  }

  String server() {
    return server;
  }

  /**
   * A path segment, percent-encoded. "." and ".." are refused: the server would resolve them as path steps, and
   * {@code user delete ..} must not become a request on the tenant.
   */
  static String seg(String s) {
    if (s.isEmpty() || s.equals(".") || s.equals("..")) throw new RemoteException("'" + s + "' names nothing");
    return queryValue(s);
  }

  /** A query parameter's value, percent-encoded. */
  static String queryValue(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  JsonObject get(String path) {
    return call("GET", path, null);
  }

  JsonObject post(String path, JsonObject body) {
    return call("POST", path, body == null ? new JsonObject() : body);
  }

  JsonObject put(String path, JsonObject body) {
    return call("PUT", path, body);
  }

  JsonObject delete(String path) {
    return call("DELETE", path, null);
  }

  /** Every page of a list: {@code {items, total}} with all items. */
  JsonObject list(String path) {
    JsonArray items = new JsonArray();
    long total;
    do {
      JsonObject page = get(path + (path.contains("?") ? "&" : "?") + "offset=" + items.size() + "&limit=" + PAGE);
      JsonArray got = page.getJsonArray("items", new JsonArray());
      items.addAll(got);
      total = page.getLong("total", (long) items.size());
      if (got.isEmpty()) break;
    } while (items.size() < total);
    return new JsonObject().put("items", items).put("total", total);
  }

  JsonObject call(String method, String path, JsonObject body) {
    URI uri;
    try {
      uri = URI.create(server + BASE + path);
    } catch (IllegalArgumentException e) {
      throw new RemoteException("invalid server URL " + server + ": " + e.getMessage());
    }
    if (uri.getScheme() == null || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))) {
      throw new RemoteException("invalid server URL " + server + ": use https://host:port");
    }
    HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
        .header("Accept", "application/json, application/problem+json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) req.header("Content-Type", "application/json");
    if (token != null) req.header("Authorization", "Bearer " + token);
    HttpResponse<String> res = send(req.build());
    String text = res.body() == null ? "" : res.body();
    if (res.statusCode() >= 400) {
      throw new RemoteException(Problems.describe(res.statusCode(), text, token != null,
          res.headers().firstValue("Retry-After").orElse(null)), res.statusCode());
    }
    if (text.isBlank()) return new JsonObject();
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new RemoteException(server + " answered " + method + " " + path + " with something that is not JSON; is it a Lanyard server?");
    }
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RemoteException("interrupted");
    } catch (IOException e) {
      throw new RemoteException(connectionProblem(e));
    } catch (IllegalArgumentException e) {
      throw new RemoteException("invalid request to " + server + ": " + e.getMessage());
    }
  }

  private String connectionProblem(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof HttpConnectTimeoutException) return "cannot connect to " + server + ": timed out";
      if (t instanceof HttpTimeoutException) return server + " did not answer in time";
      if (t instanceof UnknownHostException) return "cannot connect to " + server + ": unknown host " + t.getMessage();
      if (t instanceof ConnectException) return "cannot connect to " + server + ": connection refused";
      if (t instanceof SSLHandshakeException || t instanceof SSLException) return tlsProblem(t);
    }
    return "cannot reach " + server + ": " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
  }

  private String tlsProblem(Throwable t) {
    String m = String.valueOf(t.getMessage());
    if (m.contains("PKIX") || m.contains("certification path") || m.contains("unable to find valid")) {
      return "TLS: the certificate of " + server + " is not trusted; pass --cacert with Lanyard's CA ({data-dir}/tls/ca.pem)";
    }
    if (m.contains("subject alternative") || m.contains("No name matching")) {
      return "TLS: the certificate of " + server + " does not name this host (" + m + ")";
    }
    if (m.contains("plaintext") || m.contains("Unsupported or unrecognized SSL message")) {
      return "TLS: " + server + " does not speak TLS; try http:// or the HTTPS port";
    }
    return "TLS connection to " + server + " failed: " + m;
  }
}
