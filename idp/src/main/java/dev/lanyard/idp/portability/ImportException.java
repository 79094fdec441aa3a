package dev.lanyard.idp.portability;

/** An import file that cannot be applied; the message names the file, line or field. Nothing was written. */
public final class ImportException extends RuntimeException {
  public ImportException(String message) {
    super(message);
  }
}
