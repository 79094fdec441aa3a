package dev.lanyard.idp.k8s;

import dev.lanyard.idp.audit.AuditLog;
import dev.lanyard.idp.audit.RepeatedFailures;
import dev.lanyard.idp.cache.FencedCache;
import dev.lanyard.idp.cache.InlineCaches;
import dev.lanyard.idp.stats.Activity;
import dev.lanyard.idp.tokens.OpaqueTokenFormat;
import dev.lanyard.idp.tokens.TokenService;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.model.Cluster;
import dev.lanyard.storage.model.OpaqueToken;
import dev.lanyard.storage.model.PrincipalType;
import dev.lanyard.storage.model.TokenKind;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Decides a TokenReview: is this opaque token, presented to this tenant's cluster, valid now, and for whom?
 *
 * <p>Fast path: the checksum refuses malformed and guessed tokens without any lookup; known tokens and
 * principals are answered from memory. Revocation, a disabled principal or a removed group reach the caches
 * through the storage change feed, from every process sharing the database, so the next review sees them.
 */
final class TokenReviewer {
  static final String EXTRA_TENANT = "lanyard.dev/tenant";
  static final String EXTRA_CLUSTER = "lanyard.dev/cluster";
  static final String EXTRA_TOKEN_ID = "lanyard.dev/token-id";
  private static final String DENIED = "tokenreview.denied";
  /** Details of a malformed token's denial: one shared object, never modified (RepeatedFailures copies it). */
  private static final JsonObject MALFORMED = new JsonObject().put("reason", "malformed token");

  private final Storage storage;
  private final PrincipalDirectory principals;
  private final LastUsedRecorder lastUsed;
  private final RepeatedFailures failures;
  private final Clock clock;
  private final Activity activity;
  /** hex(SHA-256 of token) -> token record; revoked tokens are dropped by the change feed. */
  private final FencedCache<String, OpaqueToken> tokens;

  TokenReviewer(Storage storage, PrincipalDirectory principals, LastUsedRecorder lastUsed, RepeatedFailures failures,
      Clock clock, Activity activity) {
    this.activity = activity;
    this.storage = storage;
    // Only while the change feed is current: a revocation on another replica must not pass this cache by.
    this.tokens = new FencedCache<>(InlineCaches.builder()
        .maximumSize(200_000).expireAfter(InlineCaches.expireWithin(Duration.ofMinutes(5))).build(),
        storage::changesCurrent);
    this.principals = principals;
    this.lastUsed = lastUsed;
    this.failures = failures;
    this.clock = clock;
  }

  /** The TokenReview answer; fails only on a fault of Lanyard itself (then the webhook answers 500). */
  Future<Buffer> review(String tenantId, Cluster caller, TokenReviewRequest request, Supplier<String> source) {
    String token = request.token();
    if (token.length() > TokenReviewRequest.MAX_TOKEN_LENGTH || !OpaqueTokenFormat.KUBERNETES.isWellFormed(token)) {
      activity.review(tenantId, false);
      // Audited too, but counted in memory after the first of its window: no storage, no JSON built here.
      failures.record(new AuditLog.Entry(tenantId, "cluster:" + caller.id(), DENIED, null, AuditLog.FAILURE,
          source.get(), MALFORMED));
      return Future.succeededFuture(TokenReviewResponse.denied(request.apiVersion()));
    }
    byte[] hash = OpaqueTokenFormat.hash(token);
    String key = HexFormat.of().formatHex(hash);
    OpaqueToken cached = tokens.getIfPresent(key);
    // A hit is answered on this event loop without touching a worker thread; only a miss reads storage.
    Future<Optional<OpaqueToken>> found = cached != null ? Future.succeededFuture(Optional.of(cached)) : load(key, hash);
    return found.compose(t -> decide(tenantId, caller, request, t, source));
  }

  private Future<Optional<OpaqueToken>> load(String key, byte[] hash) {
    long stamp = tokens.stamp();
    return storage.transaction(s -> s.tokens().findByHash(hash))
        .onSuccess(t -> t.ifPresent(record -> tokens.put(key, record, stamp)));
  }

  private Future<Buffer> decide(String tenantId, Cluster caller, TokenReviewRequest request,
      Optional<OpaqueToken> found, Supplier<String> source) {
    Instant now = clock.instant();
    String refusal = refusal(tenantId, caller, found, now);
    if (refusal != null) return deny(tenantId, caller, request, found, refusal, source);
    OpaqueToken token = found.get();
    return principals.find(tenantId, token.principalType(), token.principalId()).compose(principal -> {
      if (principal.isEmpty() || !principal.get().usable()) {
        return deny(tenantId, caller, request, found, "principal missing, disabled or unnamed", source);
      }
      lastUsed.used(tenantId, token.id(), now);
      activity.review(tenantId, true);
      Principal p = principal.get();
      return Future.succeededFuture(TokenReviewResponse.authenticated(request.apiVersion(), p.username(), p.uid(),
          p.groups(), Map.of(EXTRA_TENANT, List.of(tenantId), EXTRA_CLUSTER, List.of(caller.id()),
              EXTRA_TOKEN_ID, List.of(token.id())),
          // Lanyard tokens are not audience-bound: omitting status.audiences tells the API server the token
          // is good for the audiences it asked for.
          List.of()));
    });
  }

  /** Why the token is refused, or null when it may be used here and now. */
  private static String refusal(String tenantId, Cluster caller, Optional<OpaqueToken> found, Instant now) {
    if (found.isEmpty()) return "unknown token";
    OpaqueToken t = found.get();
    if (!t.tenantId().equals(tenantId)) return "token of another tenant";
    if (t.kind() != TokenKind.KUBERNETES) return "not a Kubernetes token";
    if (t.revokedAt() != null) return "revoked";
    if (!now.isBefore(t.expiresAt())) return "expired";
    // Bound by uid: a token of a deleted cluster does not count for one registered later under its name.
    if (!t.clusters().isEmpty() && !t.clusters().contains(caller.uid())) return "not valid on cluster " + caller.id();
    return null;
  }

  private Future<Buffer> deny(String tenantId, Cluster caller, TokenReviewRequest request,
      Optional<OpaqueToken> found, String why, Supplier<String> source) {
    activity.review(tenantId, false);
    // An audit line per kind of failure (repeats counted), written without delaying the answer.
    JsonObject details = new JsonObject().put("reason", why).put("cluster", caller.id());
    String target = found.filter(t -> t.tenantId().equals(tenantId)).map(t -> "token:" + t.id()).orElse(null);
    failures.record(new AuditLog.Entry(tenantId, "cluster:" + caller.id(), DENIED, target,
        AuditLog.FAILURE, source.get(), details));
    return Future.succeededFuture(TokenReviewResponse.denied(request.apiVersion()));
  }

  /** Reacts to a committed change anywhere (change feed). */
  void onChange(Storage.Change change) {
    switch (change.topic()) {
      case TokenService.CHANGE_TOPIC -> tokens.invalidate(change.payload());
      case PrincipalDirectory.PRINCIPAL_TOPIC -> {
        String[] parts = change.payload().split("/", 3);
        if (parts.length == 3) principals.forget(parts[0], PrincipalType.valueOf(parts[1]), parts[2]);
      }
      case PrincipalDirectory.TENANT_TOPIC -> principals.forgetTenant(change.payload());
      case "resync" -> {
        tokens.invalidateAll();
        principals.forgetAll();
      }
      default -> { }
    }
  }
}
