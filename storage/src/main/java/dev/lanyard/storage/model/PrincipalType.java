package dev.lanyard.storage.model;

/** Who an opaque token speaks for. */
public enum PrincipalType {
  /** A person: a {@link User} of the tenant. */
  USER,
  /** A non-human principal: a {@link Robot} of the tenant, e.g. a CI pipeline. */
  ROBOT
}
