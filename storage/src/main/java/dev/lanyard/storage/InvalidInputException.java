package dev.lanyard.storage;

/**
 * The database refused a value it was given (SQLState class 22, "data exception"): text with a NUL character,
 * which PostgreSQL cannot store or even compare, a value too long for its column. The input cannot be stored, so
 * the request is at fault, not the database: maps to a 400 answer, not a 5xx.
 */
public class InvalidInputException extends StorageException {
  public InvalidInputException(String message) {
    super(message);
  }
}
