package dev.lanyard.idp.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a data directory, held for the life of the process, so that a second {@code serve}
 * (or an import while serving) fails with a clear message instead of corrupting the embedded database.
 */
public final class DataDirLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock; fails with {@link IllegalStateException} saying who holds it. */
  public static DataDirLock acquire(Path dataDir) {
    Path file = dataDir.resolve("lanyard.lock");
    try {
      FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        throw new IllegalStateException("data directory " + dataDir + " is in use by another Lanyard process ("
            + file + " is locked); stop it first or use another --data-dir");
      }
      channel.truncate(0);
      channel.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
      return new DataDirLock(channel, lock);
    } catch (IOException e) {
      throw new IllegalStateException("cannot lock data directory " + dataDir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException ignored) {
      // The process is ending; the OS drops the lock anyway.
    }
  }
}
