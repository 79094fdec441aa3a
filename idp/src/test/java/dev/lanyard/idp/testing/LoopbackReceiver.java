package dev.lanyard.idp.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What kubelogin runs during a login: a plain HTTP listener on a random loopback port that receives the
 * authorization response (RFC 8252 §7.3) and answers the browser with a short page.
 */
public final class LoopbackReceiver implements AutoCloseable {
  private final HttpServer server;
  private final BlockingQueue<Map<String, String>> received = new ArrayBlockingQueue<>(16);

  public LoopbackReceiver(String path) {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(path, exchange -> {
      received.offer(query(exchange.getRequestURI().getRawQuery()));
      byte[] body = "<!DOCTYPE html><title>done</title><p id=done>You may close this window.</p>"
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The next authorization response's query parameters; fails after 20 s. */
  public Map<String, String> next() throws InterruptedException {
    Map<String, String> q = received.poll(20, TimeUnit.SECONDS);
    if (q == null) throw new AssertionError("no authorization response reached the loopback listener");
    return q;
  }

  public static Map<String, String> query(String raw) {
    Map<String, String> q = new HashMap<>();
    if (raw == null) return q;
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      if (q.putIfAbsent(name, value) != null) throw new AssertionError("parameter " + name + " repeated in " + raw);
    }
    return q;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
