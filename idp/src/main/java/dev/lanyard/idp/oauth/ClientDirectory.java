package dev.lanyard.idp.oauth;

import com.github.benmanes.caffeine.cache.Cache;
import dev.lanyard.idp.cache.InlineCaches;
import dev.lanyard.idp.k8s.ReviewInvalidation;
import dev.lanyard.storage.ClientRepository;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.model.OAuthClient;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Registered clients as the endpoints that authenticate them see them, kept in memory: every token, device,
 * introspection and revocation request starts with its client, and reading it from the database each time
 * cost a transaction of its own.
 *
 * <p>An entry is dropped when the change feed announces a change to that client ({@link
 * ClientRepository#CHANGE_TOPIC}, sent by storage on every update, delete or robot link, from any process
 * sharing the database), a change to its tenant (deleting a tenant deletes its clients), or a resync; and
 * after a few minutes in any case, as a safety net. Unknown clients are not remembered, so a client created
 * a moment ago is found at once.
 */
final class ClientDirectory {
  private final Storage storage;
  /** Keyed like the change feed's payload ({@link ClientRepository#changePayload}), so a change names its entry. */
  private final Cache<String, OAuthClient> cache = InlineCaches.builder()
      .maximumSize(10_000).expireAfter(InlineCaches.expireWithin(Duration.ofMinutes(5))).build();
  /** Counts invalidations, so that a read that raced with one does not put back what it dropped. */
  private final AtomicLong invalidations = new AtomicLong();

  ClientDirectory(Storage storage) {
    this.storage = storage;
    storage.onChange(this::onChange);
  }

  /**
   * The client, empty for an unknown client of a known tenant, or null when the tenant itself is unknown (the
   * tenant is only read to tell the two apart).
   */
  Future<Optional<OAuthClient>> find(String tenantId, String clientId) {
    String key = ClientRepository.changePayload(tenantId, clientId);
    OAuthClient cached = cache.getIfPresent(key);
    if (cached != null) return Future.succeededFuture(Optional.of(cached));
    long seen = invalidations.get();
    return storage.transaction(s -> {
      Optional<OAuthClient> client = s.clients().find(tenantId, clientId);
      return client.isPresent() || s.tenants().find(tenantId).isPresent() ? client : null;
    }).onSuccess(found -> {
      if (found == null || found.isEmpty()) return;
      synchronized (this) {
        if (invalidations.get() == seen) cache.put(key, found.get());
      }
    });
  }

  private void onChange(Storage.Change change) {
    if (change.topic().equals(ClientRepository.CHANGE_TOPIC)) {
      forget(k -> k.equals(change.payload()));
    } else if (change.topic().equals(ReviewInvalidation.TENANT_TOPIC)) {
      forget(k -> k.startsWith(change.payload() + "/"));
    } else if (change.equals(Storage.Change.RESYNC)) {
      forget(k -> true);
    }
  }

  private synchronized void forget(Predicate<String> keys) {
    invalidations.incrementAndGet();
    cache.asMap().keySet().removeIf(keys);
  }
}
