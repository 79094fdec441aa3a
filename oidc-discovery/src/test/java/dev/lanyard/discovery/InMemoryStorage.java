package dev.lanyard.discovery;

import dev.lanyard.storage.AlreadyExistsException;
import dev.lanyard.storage.ClientRepository;
import dev.lanyard.storage.GroupRepository;
import dev.lanyard.storage.NotFoundException;
import dev.lanyard.storage.SigningKeyRepository;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.StorageUnavailableException;
import dev.lanyard.storage.StoreSession;
import dev.lanyard.storage.StoreWork;
import dev.lanyard.storage.TenantRepository;
import dev.lanyard.storage.UserRepository;
import dev.lanyard.storage.model.SigningKey;
import dev.lanyard.storage.model.Tenant;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test double of {@link Storage} holding tenants and signing keys in maps. Only tenants and signing keys
 * are implemented; this module's job is rendering and caching, the real storage has its own conformance
 * suite. It counts transactions, can delay them and can fail them like an unreachable database.
 */
final class InMemoryStorage implements Storage {
  private final Vertx vertx;
  private final Map<String, Tenant> tenants = new TreeMap<>();
  private final Map<String, List<SigningKey>> keys = new TreeMap<>();
  final AtomicInteger transactions = new AtomicInteger();
  volatile long delayMillis;
  volatile boolean failing;

  InMemoryStorage(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public <T> Future<T> transaction(StoreWork<T> work) {
    return vertx.executeBlocking(() -> transactionBlocking(work), false);
  }

  @Override
  public <T> T transactionBlocking(StoreWork<T> work) {
    transactions.incrementAndGet();
    if (delayMillis > 0) {
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (failing) {
      throw new StorageUnavailableException("connection refused", new java.net.ConnectException("refused"));
    }
    synchronized (this) {
      try {
        return work.run(session);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Override
  public String databaseName() {
    return "in-memory test double";
  }

  @Override
  public void onChange(java.util.function.Consumer<Change> listener) {}

  @Override
  public boolean changesCurrent() {
    return true;
  }

  @Override
  public Future<Void> ping() {
    return failing ? Future.failedFuture(new StorageUnavailableException("connection refused", null)) : Future.succeededFuture();
  }

  @Override
  public void close() {}

  private final StoreSession session = new StoreSession() {
    @Override public TenantRepository tenants() { return tenantRepository; }
    @Override public SigningKeyRepository signingKeys() { return keyRepository; }
    @Override public UserRepository users() { throw new UnsupportedOperationException(); }
    @Override public GroupRepository groups() { throw new UnsupportedOperationException(); }
    @Override public ClientRepository clients() { throw new UnsupportedOperationException(); }
    @Override public dev.lanyard.storage.RobotRepository robots() { throw new UnsupportedOperationException(); }
    @Override public dev.lanyard.storage.TokenRepository tokens() { throw new UnsupportedOperationException(); }
    @Override public dev.lanyard.storage.RefreshTokenRepository refreshTokens() { throw new UnsupportedOperationException(); }
    @Override public dev.lanyard.storage.RevokedAccessTokenRepository revokedAccessTokens() { throw new UnsupportedOperationException(); }
    @Override public dev.lanyard.storage.ClusterRepository clusters() { throw new UnsupportedOperationException(); }
    @Override public dev.lanyard.storage.AuditRepository audit() { throw new UnsupportedOperationException(); }
    @Override public dev.lanyard.storage.AdminRoleRepository adminRoles() { throw new UnsupportedOperationException(); }
    @Override public dev.lanyard.storage.DeviceAuthorizationRepository deviceAuthorizations() {
      throw new UnsupportedOperationException();
    }
    @Override public dev.lanyard.storage.LoginSessionRepository loginSessions() { throw new UnsupportedOperationException(); }
    @Override public dev.lanyard.storage.AuthorizationCodeRepository authorizationCodes() { throw new UnsupportedOperationException(); }
    @Override public dev.lanyard.storage.LoginFailureRepository loginFailures() { throw new UnsupportedOperationException(); }
    @Override public void notifyChange(String topic, String payload) {}
  };

  private final TenantRepository tenantRepository = new TenantRepository() {
    @Override public void create(Tenant tenant) {
      if (tenants.putIfAbsent(tenant.id(), tenant) != null) {
        throw new AlreadyExistsException(tenant.id());
      }
    }
    @Override public Optional<Tenant> find(String id) { return Optional.ofNullable(tenants.get(id)); }
    @Override public List<Tenant> list() { return List.copyOf(tenants.values()); }
    @Override public void update(Tenant tenant) {
      if (tenants.replace(tenant.id(), tenant) == null) {
        throw new NotFoundException(tenant.id());
      }
    }
    @Override public void delete(String id) {
      if (tenants.remove(id) == null) {
        throw new NotFoundException(id);
      }
      keys.remove(id);
    }
  };

  private final SigningKeyRepository keyRepository = new SigningKeyRepository() {
    @Override public void create(SigningKey key) {
      if (find(key.tenantId(), key.kid()).isPresent()) {
        throw new AlreadyExistsException(key.kid());
      }
      keys.computeIfAbsent(key.tenantId(), t -> new ArrayList<>()).add(key);
    }
    @Override public Optional<SigningKey> find(String tenantId, String kid) {
      return keys.getOrDefault(tenantId, List.of()).stream().filter(k -> k.kid().equals(kid)).findFirst();
    }
    @Override public List<SigningKey> list(String tenantId) { return List.copyOf(keys.getOrDefault(tenantId, List.of())); }
    @Override public void update(SigningKey key) {
      List<SigningKey> list = keys.getOrDefault(key.tenantId(), new ArrayList<>());
      for (int i = 0; i < list.size(); i++) {
        if (list.get(i).kid().equals(key.kid())) {
          list.set(i, key);
          return;
        }
      }
      throw new NotFoundException(key.kid());
    }
    @Override public void delete(String tenantId, String kid) {
      if (!keys.getOrDefault(tenantId, new ArrayList<>()).removeIf(k -> k.kid().equals(kid))) {
        throw new NotFoundException(kid);
      }
    }
  };
}
