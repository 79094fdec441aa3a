package dev.lanyard.idp.cli;

import dev.lanyard.idp.crypto.SecureFiles;
import dev.lanyard.idp.k8s.ClusterOnboarding;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Shows a cluster's onboarding files ({@link ClusterOnboarding#files}) for both {@code cluster add}s, the
 * offline one and the admin API client: printed one after the other, or written to a directory.
 */
public final class OnboardingFiles {
  private OnboardingFiles() {}

  /** Each file after a {@code ==> name <==} line, as {@code head} shows several files. */
  public static void print(List<ClusterOnboarding.File> files, PrintWriter out) {
    for (ClusterOnboarding.File f : files) {
      out.println();
      out.println("==> " + f.name() + " <==");
      out.print(f.content());
    }
    out.flush();
  }

  /** Writes the files into {@code dir} (made if missing; secret ones 0600), a "wrote PATH" line each on {@code log}. */
  public static void write(List<ClusterOnboarding.File> files, Path dir, PrintWriter log) throws IOException {
    Files.createDirectories(dir);
    for (ClusterOnboarding.File f : files) {
      Path target = dir.resolve(f.name());
      SecureFiles.writeAtomically(target, f.content().getBytes(StandardCharsets.UTF_8),
          f.secret() ? SecureFiles.OWNER_ONLY : SecureFiles.WORLD_READABLE);
      log.println("wrote " + target);
    }
    log.flush();
  }
}
