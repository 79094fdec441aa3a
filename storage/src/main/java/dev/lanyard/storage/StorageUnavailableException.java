package dev.lanyard.storage;

/** The database could not be reached or timed out: a passing fault, worth retrying (500/503, Retry-After). */
public class StorageUnavailableException extends StorageException {
  public StorageUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
