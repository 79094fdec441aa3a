package dev.lanyard.storage;

/** A database fault: the caller cannot fix it by changing its input (maps to a 5xx answer). */
public class StorageException extends RuntimeException {
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }

  public StorageException(String message) {
    super(message);
  }
}
