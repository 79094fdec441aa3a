package dev.lanyard.storage.model;

/** What an opaque token may be used for; a token of one kind is never accepted as another. */
public enum TokenKind {
  /** Presented to a kube-apiserver and checked through the TokenReview webhook. */
  KUBERNETES,
  /** Authorizes calls to Lanyard's admin REST API. */
  ADMIN
}
