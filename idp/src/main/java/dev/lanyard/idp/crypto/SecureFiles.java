package dev.lanyard.idp.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes key and certificate files so that a crash never leaves half a file at the final path, and a
 * secret is never readable by others, not even for a moment.
 *
 * <p>Each write goes to a temporary file in the target's directory (so the final rename stays on one
 * file system), is flushed to disk, and then renamed over the target. On file systems without POSIX
 * permissions (not a supported deployment) the permission arguments are ignored.
 */
public final class SecureFiles {
  /** rw------- : private keys and the master key. */
  public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  /** rw-r--r-- : certificates meant to be handed out (the CA for {@code --oidc-ca-file}). */
  public static final Set<PosixFilePermission> WORLD_READABLE = PosixFilePermissions.fromString("rw-r--r--");

  private SecureFiles() {}

  /**
   * Atomically replaces {@code target} with {@code content} and the given permissions.
   *
   * @throws IOException when the directory is not writable or the rename fails; {@code target} is then
   *     unchanged
   */
  public static void writeAtomically(Path target, byte[] content, Set<PosixFilePermission> permissions)
      throws IOException {
    Path tmp = createTemp(target, permissions);
    try {
      write(tmp, content);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Writes {@code content} to {@code target} only if no file is there yet; never replaces one.
   *
   * @return true if this call created the file, false if a file already existed (left untouched)
   * @throws IOException when writing fails
   */
  public static boolean createNew(Path target, byte[] content, Set<PosixFilePermission> permissions)
      throws IOException {
    Path tmp = createTemp(target, permissions);
    try {
      write(tmp, content);
      // A hard link fails if the target exists, so two processes racing on a first start cannot
      // overwrite each other's secret; a rename would silently replace it.
      Files.createLink(target, tmp);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (UnsupportedOperationException e) {
      if (Files.exists(target)) {
        return false;
      }
      Files.move(tmp, target);
      return true;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Whether {@code path} can be read or written by group or others. False off POSIX file systems. */
  public static boolean isAccessibleByOthers(Path path) throws IOException {
    if (!isPosix(path)) {
      return false;
    }
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
    return perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.GROUP_WRITE)
        || perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.OTHERS_WRITE);
  }

  private static Path createTemp(Path target, Set<PosixFilePermission> permissions) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    String prefix = "." + target.getFileName() + ".";
    if (!isPosix(dir)) {
      return Files.createTempFile(dir, prefix, ".tmp");
    }
    // The mode is set when the file is created (umask may only remove bits), so the secret is never
    // briefly readable by others; the explicit set afterwards undoes a umask that removed wanted bits.
    FileAttribute<Set<PosixFilePermission>> attr =
        PosixFilePermissions.asFileAttribute(intersect(permissions, OWNER_ONLY));
    Path tmp = Files.createTempFile(dir, prefix, ".tmp", attr);
    Files.setPosixFilePermissions(tmp, permissions);
    return tmp;
  }

  private static Set<PosixFilePermission> intersect(Set<PosixFilePermission> a, Set<PosixFilePermission> b) {
    Set<PosixFilePermission> result = java.util.EnumSet.noneOf(PosixFilePermission.class);
    result.addAll(a);
    result.retainAll(b);
    return result;
  }

  private static void write(Path tmp, byte[] content) throws IOException {
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buf = ByteBuffer.wrap(content);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
  }

  private static boolean isPosix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
