package dev.lanyard.idp.cli;

import dev.lanyard.idp.server.LanyardServer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lanyard serve}: runs the server until interrupted. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Start Lanyard. The first start of an empty data directory creates tenant 'default', "
        + "an administrator and the kubelogin client, and prints the kube-apiserver flags.")
public final class ServeCommand implements Callable<Integer> {
  @Mixin
  ConfigOptions options;

  @Option(names = "--port", paramLabel = "N", description = "HTTPS port (default 8443; 0 picks a free one).")
  Integer port;

  @Option(names = "--public-url", paramLabel = "URL",
      description = "Base URL clients use, e.g. https://lanyard.example.com (default https://localhost:PORT).")
  String publicUrl;

  @Override
  public Integer call() throws InterruptedException {
    Map<String, String> overrides = new LinkedHashMap<>();
    if (port != null) overrides.put("server.port", port.toString());
    if (publicUrl != null) overrides.put("server.publicUrl", publicUrl);
    LanyardServer server = LanyardServer.start(options.load(overrides), System.getenv(), System.out);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "lanyard-shutdown"));
    stopped.await();
    return 0;
  }
}
