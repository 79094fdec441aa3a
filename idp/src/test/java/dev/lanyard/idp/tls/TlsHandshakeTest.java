package dev.lanyard.idp.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A real TLS handshake against the generated files, as a client that trusts only ca.pem would do. */
@ExtendWith(VertxExtension.class)
class TlsHandshakeTest {
  @TempDir Path dir;
  TlsFiles files;
  int port;
  /** Held in a field: Vert.x closes an HttpClient that is garbage-collected, mid-request if need be. */
  HttpClient client;

  @BeforeEach
  void startServer(Vertx vertx, VertxTestContext t) {
    files = LocalCertificateAuthority.ensure(dir, List.of("lanyard.lanyard.svc"), Clock.systemUTC());
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions()
            .setCertPath(files.serverCert().toString()).setKeyPath(files.serverKey().toString())));
    server.requestHandler(req -> req.response().end("ok")).listen(0)
        .onComplete(t.succeeding(s -> {
          port = s.actualPort();
          t.completeNow();
        }));
  }

  @Test
  void clientTrustingOnlyTheCaConnectsToLocalhostWithHostnameVerification(Vertx vertx, VertxTestContext t) {
    get(vertx, files.caCert(), "localhost")
        .compose(res -> res.body().map(body -> {
          assertThat(res.statusCode()).isEqualTo(200);
          assertThat(body.toString()).isEqualTo("ok");
          return res;
        }))
        .onComplete(t.succeedingThenComplete());
  }

  @Test
  void ipLiteralSanVerifiesToo(Vertx vertx, VertxTestContext t) {
    get(vertx, files.caCert(), "127.0.0.1")
        .onComplete(t.succeeding(res -> t.verify(() -> {
          assertThat(res.statusCode()).isEqualTo(200);
          t.completeNow();
        })));
  }

  @Test
  void clientTrustingAnotherCaIsRefused(Vertx vertx, VertxTestContext t, @TempDir Path otherDir) {
    TlsFiles other = LocalCertificateAuthority.ensure(otherDir, List.of(), Clock.systemUTC());
    get(vertx, other.caCert(), "localhost")
        .onComplete(t.failing(err -> t.verify(() -> {
          assertThat(err).isInstanceOf(SSLHandshakeException.class);
          t.completeNow();
        })));
  }

  private Future<HttpClientResponse> get(Vertx vertx, Path trustedCa, String host) {
    client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setVerifyHost(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(trustedCa.toString())));
    return client.request(HttpMethod.GET, port, host, "/").compose(req -> req.send());
  }
}
