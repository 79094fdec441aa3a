package dev.lanyard.storage;

/** A create or rename ran into a unique key: the thing named already exists. */
public class AlreadyExistsException extends StorageException {
  public AlreadyExistsException(String message) {
    super(message);
  }
}
