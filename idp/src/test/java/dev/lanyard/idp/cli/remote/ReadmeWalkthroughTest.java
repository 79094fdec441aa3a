package dev.lanyard.idp.cli.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.cli.remote.RemoteCli.Run;
import dev.lanyard.idp.testing.TestLanyard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's command line walkthrough (the {@code sh} block under "## Command line") runs as written, line by
 * line, against a fresh Lanyard: every object a line names was made by an earlier line.
 */
class ReadmeWalkthroughTest {
  @TempDir
  Path dir;

  @Test
  void walkthroughRunsFromAFreshStart() throws Exception {
    List<String> lines = walkthrough(Files.readAllLines(readme()));
    assertThat(lines).hasSizeGreaterThan(10);
    try (TestLanyard lanyard = TestLanyard.start(dir.resolve("data"))) {
      Path context = dir.resolve("context.yaml");
      for (String line : lines) {
        List<String> args = new ArrayList<>(List.of("--context", context.toString()));
        String stdin = null;
        for (String word : words(line)) {
          if (word.equals("TOKEN-ID")) word = tokenId(context);
          args.add(switch (word) {
            case "https://localhost:8443" -> lanyard.baseUrl();
            case "data/tls/ca.pem" -> lanyard.server().caFile().toString();
            default -> word.endsWith("/") ? dir.resolve(word).toString() : word; // --out-dir prod-eu/
          });
        }
        if (args.get(2).equals("login")) {
          args.add("--password-stdin");
          stdin = TestLanyard.ADMIN_PASSWORD + "\n";
        }
        Run r = RemoteCli.runWithStdin(stdin, args.toArray(String[]::new));
        assertThat(r.exit()).as(line + "\n" + r).isZero();
      }
    }
  }

  static Path readme() {
    Path p = Path.of("README.md").toAbsolutePath();
    return Files.exists(p) ? p : p.getParent().getParent().resolve("README.md"); // run from idp/ or the root
  }

  /** The {@code ./lanyard ...} lines of the first sh block after "## Command line", comments dropped. */
  static List<String> walkthrough(List<String> readme) {
    int start = readme.indexOf("## Command line");
    assertThat(start).isNotNegative();
    List<String> lines = new ArrayList<>();
    boolean inBlock = false;
    for (String l : readme.subList(start, readme.size())) {
      if (l.startsWith("```")) {
        if (inBlock) break;
        inBlock = l.equals("```sh");
        continue;
      }
      if (inBlock && l.startsWith("./lanyard ")) {
        int comment = l.indexOf(" #");
        lines.add((comment < 0 ? l : l.substring(0, comment)).substring("./lanyard ".length()).strip());
      }
    }
    return lines;
  }

  /** Shell words: split on spaces, double quotes group. */
  static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (char c : line.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
        any = true;
      } else if (c == ' ' && !quoted) {
        if (any) words.add(w.toString());
        w.setLength(0);
        any = false;
      } else {
        w.append(c);
        any = true;
      }
    }
    if (any) words.add(w.toString());
    return words;
  }

  /** The id of the first token listed in tenant prod (the walkthrough's TOKEN-ID). */
  private static String tokenId(Path context) {
    Run list = RemoteCli.run("--context", context.toString(), "token", "list", "--tenant", "prod", "-o", "json");
    assertThat(list.exit()).as(list.toString()).isZero();
    return list.json().getJsonArray("items").getJsonObject(0).getString("id");
  }
}
