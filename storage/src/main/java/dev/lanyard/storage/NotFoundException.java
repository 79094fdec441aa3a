package dev.lanyard.storage;

/** An update or delete named something that does not exist (in that tenant). */
public class NotFoundException extends StorageException {
  public NotFoundException(String message) {
    super(message);
  }
}
