import dev.lanyard.idp.tokens.OpaqueTokenFormat;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes COUNT made-up Kubernetes tokens to FILE, one a line, for bench/tokenreview.sh's brute-force mode:
 * random 256 bits with a correct prefix and checksum, so each one passes the cheap format check and costs
 * the webhook a real database lookup, as a guesser who knows the format would make it.
 *
 *   java -cp idp/target/lanyard.jar bench/RandomTokens.java FILE COUNT
 */
public final class RandomTokens {
  public static void main(String[] args) throws Exception {
    int count = Integer.parseInt(args[1]);
    try (BufferedWriter out = Files.newBufferedWriter(Path.of(args[0]))) {
      for (int i = 0; i < count; i++) {
        out.write(OpaqueTokenFormat.KUBERNETES.generate());
        out.newLine();
      }
    }
  }
}
