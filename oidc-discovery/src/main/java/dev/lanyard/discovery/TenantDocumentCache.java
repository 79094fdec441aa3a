package dev.lanyard.discovery;

import dev.lanyard.storage.Storage;
import dev.lanyard.storage.model.KeyState;
import dev.lanyard.storage.model.SigningKey;
import dev.lanyard.storage.model.Tenant;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The discovery document and JWKS of every tenant, rendered once and kept in memory as ready buffers.
 *
 * <p>A miss loads the tenant and its keys in one storage transaction and renders both documents; concurrent
 * misses for one tenant share that load. An entry lives until {@link #invalidate} (the idp calls it after
 * every key change or tenant deletion on this replica), until the refresh interval has passed (so changes
 * made by another replica are seen), and at most until the next moment a retired key leaves JWKS
 * ({@code unpublishAfter}). Unknown tenants are remembered for a short while only, and only a bounded
 * number of them. When a refresh fails and the tenant's previous documents were not invalidated, those
 * are served a little longer instead of failing (the kube-apiserver needs JWKS more than it needs it fresh).
 *
 * <p>Key rotation: a replica may serve a JWKS up to {@code refreshInterval} old, and clients then keep it
 * for its {@code max-age}; a new key must therefore be published for longer than
 * {@code refreshInterval + jwks max-age} (+ 30 s kube-apiserver slack) before it signs anything.
 *
 * <p>Thread-safe: one instance may be shared by every event loop.
 */
public final class TenantDocumentCache {
  private static final Logger log = LoggerFactory.getLogger(TenantDocumentCache.class);
  /** Remembered unknown tenant ids; beyond this, unknown ids go to storage each time. */
  static final int MAX_UNKNOWN_TENANTS = 4096;
  /** How long a failed refresh keeps serving the previous documents before trying storage again. */
  private static final long STALE_RETRY_MILLIS = 5_000;
  private static final Future<TenantDocuments> UNKNOWN = Future.succeededFuture(TenantDocuments.UNKNOWN);

  private final Storage storage;
  private final DiscoveryDocument discovery;
  private final Clock clock;
  private final long refreshMillis;
  private final long unknownMillis;
  private final ConcurrentHashMap<String, TenantDocuments> entries = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Future<TenantDocuments>> loading = new ConcurrentHashMap<>();
  /** Unknown tenant id -> until when (clock millis) to answer 404 without asking storage. */
  private final ConcurrentHashMap<String, Long> unknownUntil = new ConcurrentHashMap<>();

  /**
   * @param storage where tenants and signing keys are read, one transaction per load
   * @param discovery renders the discovery document (holds the public URL and the server's metadata)
   * @param clock decides which keys are published and when entries expire
   * @param refreshInterval how long an entry is served before storage is read again, e.g. 30 s; positive
   * @param unknownTenantTtl how long an unknown tenant id is answered 404 from memory, e.g. 2 s; zero disables
   */
  public TenantDocumentCache(Storage storage, DiscoveryDocument discovery, Clock clock, Duration refreshInterval,
      Duration unknownTenantTtl) {
    this.storage = Objects.requireNonNull(storage, "storage");
    this.discovery = Objects.requireNonNull(discovery, "discovery");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (refreshInterval.isNegative() || refreshInterval.isZero() || unknownTenantTtl.isNegative()) {
      throw new IllegalArgumentException("refreshInterval must be positive and unknownTenantTtl not negative");
    }
    this.refreshMillis = refreshInterval.toMillis();
    this.unknownMillis = unknownTenantTtl.toMillis();
  }

  /** The renderer, e.g. for {@link DiscoveryDocument#issuer}. */
  public DiscoveryDocument discovery() {
    return discovery;
  }

  /**
   * Drops the tenant's documents, its unknown-tenant mark and any load in flight, so the next request
   * reads storage again. Call after a key of the tenant changed, or the tenant was created or deleted.
   */
  public void invalidate(String tenantId) {
    entries.remove(tenantId);
    unknownUntil.remove(tenantId);
    // A load that began before the change must not install what it read: it is no longer the current one.
    loading.remove(tenantId);
  }

  /** Drops every tenant's documents (e.g. after the server's metadata or public URL changed). */
  public void invalidateAll() {
    entries.clear();
    unknownUntil.clear();
    loading.clear();
  }

  /** The hot path: the tenant's current documents, or null when absent or expired. No allocation. */
  TenantDocuments peek(String tenantId) {
    TenantDocuments docs = entries.get(tenantId);
    return docs != null && clock.millis() < docs.expiresAtMillis ? docs : null;
  }

  /**
   * The tenant's documents, from memory or from storage: {@link TenantDocuments#UNKNOWN} for an invalid id
   * or a tenant that does not exist; fails with the storage's exception when it could not be read and no
   * previous documents are at hand.
   */
  Future<TenantDocuments> get(String tenantId) {
    TenantDocuments docs = peek(tenantId);
    if (docs != null) {
      return Future.succeededFuture(docs);
    }
    if (!TenantIds.isValid(tenantId)) {
      return UNKNOWN;
    }
    Long until = unknownUntil.get(tenantId);
    if (until != null) {
      if (clock.millis() < until) {
        return UNKNOWN;
      }
      unknownUntil.remove(tenantId, until);
    }
    Promise<TenantDocuments> promise = Promise.promise();
    Future<TenantDocuments> mine = promise.future();
    Future<TenantDocuments> running = loading.putIfAbsent(tenantId, mine);
    if (running != null) {
      return running;
    }
    // Only the winner of putIfAbsent reaches storage; rendering runs on the storage worker too.
    Future<TenantDocuments> read;
    try {
      read = storage.transaction(session -> {
        Optional<Tenant> tenant = session.tenants().find(tenantId);
        if (tenant.isEmpty()) {
          return TenantDocuments.UNKNOWN;
        }
        return render(tenantId, session.signingKeys().list(tenantId));
      });
    } catch (RuntimeException e) {
      read = Future.failedFuture(e);
    }
    read.onComplete(ar -> {
      boolean current = loading.remove(tenantId, mine);
      if (ar.succeeded()) {
        if (current) {
          install(tenantId, ar.result());
        }
        promise.complete(ar.result());
        return;
      }
      TenantDocuments previous = current ? entries.get(tenantId) : null;
      if (previous != null) {
        log.warn("reading tenant {} failed, serving its previous documents: {}", tenantId, ar.cause().toString());
        TenantDocuments extended = previous.until(clock.millis() + Math.min(STALE_RETRY_MILLIS, refreshMillis));
        entries.replace(tenantId, previous, extended);
        promise.complete(extended);
      } else {
        log.warn("reading tenant {} failed: {}", tenantId, ar.cause().toString());
        promise.fail(ar.cause());
      }
    });
    return mine;
  }

  private void install(String tenantId, TenantDocuments docs) {
    if (docs.found()) {
      entries.put(tenantId, docs);
      return;
    }
    entries.remove(tenantId);
    if (unknownMillis == 0) {
      return;
    }
    if (unknownUntil.size() >= MAX_UNKNOWN_TENANTS) {
      long now = clock.millis();
      unknownUntil.values().removeIf(until -> until <= now);
      if (unknownUntil.size() >= MAX_UNKNOWN_TENANTS) {
        return;
      }
    }
    unknownUntil.put(tenantId, clock.millis() + unknownMillis);
  }

  private TenantDocuments render(String tenantId, List<SigningKey> keys) {
    Instant now = clock.instant();
    long expires = now.toEpochMilli() + refreshMillis;
    for (SigningKey key : keys) {
      // The entry must not outlive the moment a retired key leaves JWKS.
      Instant unpublish = key.unpublishAfter();
      if (key.state() == KeyState.RETIRED && unpublish != null && unpublish.isAfter(now)) {
        expires = Math.min(expires, unpublish.toEpochMilli());
      }
    }
    return new TenantDocuments(
        CachedDocument.of(discovery.render(tenantId, keys, now)),
        CachedDocument.of(JwksDocument.render(keys, now)),
        expires);
  }
}
