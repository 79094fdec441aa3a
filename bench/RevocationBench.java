import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Revocation across two replicas (bench/revocation.sh): mints a token through one replica's admin API, has the
 * other replica review it (so it is cached there), revokes it through the first and at once reviews it at the
 * second, which must refuse it. Alternates the replicas' roles. Prints how long each revocation request took and
 * how many next reviews still accepted the token (must be 0).
 *
 * <p>Usage: {@code java -cp idp/target/lanyard.jar bench/RevocationBench.java URL_A URL_B CA_PEM ADMIN_TOKEN ROUNDS}
 */
public class RevocationBench {
  public static void main(String[] args) throws Exception {
    String[] replicas = {args[0], args[1]};
    HttpClient http = HttpClient.newBuilder().sslContext(trusting(Path.of(args[2]))).build();
    String admin = args[3];
    int rounds = Integer.parseInt(args[4]);
    String api = "/admin/api/v1/tenants/default";

    String credential = json(call(http, "POST", replicas[0] + api + "/clusters", admin,
        "{\"name\":\"revocation-bench\"}", 201)).getString("credential");
    List<Double> revokeMillis = new ArrayList<>();
    int stale = 0;
    for (int i = 0; i < rounds; i++) {
      String revoker = replicas[i % 2];
      String reviewer = replicas[(i + 1) % 2];
      io.vertx.core.json.JsonObject minted = json(call(http, "POST", revoker + api + "/tokens", admin,
          "{\"user\":\"admin\",\"ttl\":\"1h\"}", 201));
      String token = minted.getString("token");
      if (!authenticated(http, reviewer, credential, token)) {
        throw new IllegalStateException("the other replica did not accept a fresh token");
      }
      long t0 = System.nanoTime();
      call(http, "DELETE", revoker + api + "/tokens/" + minted.getString("id"), admin, null, 204);
      revokeMillis.add((System.nanoTime() - t0) / 1e6);
      if (authenticated(http, reviewer, credential, token)) {
        stale++;
      }
    }
    Collections.sort(revokeMillis);
    System.out.printf("revocation: %d rounds, next review on the other replica still accepted: %d;"
        + " revoke request p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", rounds, stale,
        revokeMillis.get(rounds / 2), revokeMillis.get(Math.min(rounds - 1, (int) Math.ceil(rounds * 0.99) - 1)),
        revokeMillis.get(rounds - 1));
    if (stale > 0) {
      System.exit(1);
    }
  }

  private static boolean authenticated(HttpClient http, String replica, String credential, String token)
      throws Exception {
    String body = "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":{\"token\":\""
        + token + "\"}}";
    return json(call(http, "POST", replica + "/t/default/tokenreview?timeout=30s", credential, body, 200))
        .getJsonObject("status").getBoolean("authenticated");
  }

  private static String call(HttpClient http, String method, String url, String bearer, String body, int expected)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + bearer)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    HttpResponse<String> res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() != expected) {
      throw new IllegalStateException(method + " " + url + ": " + res.statusCode() + " " + res.body());
    }
    return res.body();
  }

  private static io.vertx.core.json.JsonObject json(String text) {
    return new io.vertx.core.json.JsonObject(text);
  }

  private static SSLContext trusting(Path caPem) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    store.setCertificateEntry("lanyard", CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(caPem))));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return ssl;
  }
}
