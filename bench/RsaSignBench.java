import io.vertx.core.json.JsonObject;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Signature;

/**
 * Raw RS256 signing speed on this machine: SHA256withRSA over a typical ID token's signing input with a fresh
 * 2048-bit key, single-threaded, through the JDK's provider and through the provider Lanyard picks
 * (dev.lanyard.idp.tokens.RsaProvider: ACCP, else Conscrypt, else the JDK), then through Lanyard's JwsSigner.
 * Reports the thread's CPU time per signature (and its inverse, signatures per CPU-second), which a machine
 * shared with other work disturbs far less than wall-clock rates; the load average is printed beside it.
 *
 *   java -cp idp/target/lanyard.jar bench/RsaSignBench.java [SECONDS]
 */
public class RsaSignBench {
  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair pair = g.generateKeyPair();
    byte[] input = ("eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6IngifQ." + "x".repeat(420)).getBytes();
    measure("JDK SunRsaSign", pair, input, null, seconds);
    Provider chosen = dev.lanyard.idp.tokens.RsaProvider.get();
    if (chosen != null) measure(chosen.getName() + " " + chosen.getVersionStr(), pair, input, chosen, seconds);
    var signer = new dev.lanyard.idp.tokens.JwsSigner(pair.getPrivate(), "x", chosen);
    JsonObject claims = new JsonObject().put("iss", "https://lanyard.example/t/default").put("sub", "robot-id")
        .put("aud", "bench-ci").put("exp", 1_800_000_000L).put("iat", 1_700_000_000L).put("at_hash", "abcdefghijklmnop");
    for (int i = 0; i < 500; i++) signer.sign(claims);
    long n = 0;
    long start = cpu();
    long end = start + (long) (seconds * 1e9);
    while (cpu() < end) {
      for (int i = 0; i < 20; i++) signer.sign(claims);
      n += 20;
    }
    report("JwsSigner (" + (chosen == null ? "JDK" : chosen.getName()) + ")", n, cpu() - start);
  }

  static void measure(String name, KeyPair pair, byte[] input, Provider p, double seconds) throws Exception {
    Signature s = p == null ? Signature.getInstance("SHA256withRSA", "SunRsaSign") : Signature.getInstance("SHA256withRSA", p);
    s.initSign(pair.getPrivate());
    for (int i = 0; i < 500; i++) { s.update(input); s.sign(); }
    long n = 0;
    long start = cpu();
    long end = start + (long) (seconds * 1e9);
    while (cpu() < end) {
      for (int i = 0; i < 20; i++) {
        s.update(input);
        s.sign();
      }
      n += 20;
    }
    report(name, n, cpu() - start);
  }

  static long cpu() {
    return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  static void report(String name, long n, long cpuNanos) {
    System.out.printf("%-32s %7.0f signatures per CPU-second (%.0f us CPU each), load %s%n", name,
        n * 1e9 / cpuNanos, cpuNanos / 1e3 / n, loadAverage());
  }

  static String loadAverage() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
    } catch (java.io.IOException e) {
      return "?";
    }
  }
}
