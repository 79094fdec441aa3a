package dev.lanyard.storage.model;

/** Where an RFC 8628 device authorization stands. */
public enum DeviceAuthorizationStatus {
  /** Waiting for the user to enter the code and decide. */
  PENDING,
  /** The user approved; the next poll gets tokens. */
  APPROVED,
  /** The user denied; polls get {@code access_denied}. */
  DENIED,
  /** Tokens were issued once; the device code is spent. */
  CONSUMED
}
