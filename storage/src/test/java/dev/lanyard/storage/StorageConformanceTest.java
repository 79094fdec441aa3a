package dev.lanyard.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanyard.storage.model.AdminRole;
import dev.lanyard.storage.model.AuditEvent;
import dev.lanyard.storage.model.AuditQuery;
import dev.lanyard.storage.model.Cluster;
import dev.lanyard.storage.model.DeviceAuthorization;
import dev.lanyard.storage.model.DeviceAuthorizationStatus;
import dev.lanyard.storage.model.Group;
import dev.lanyard.storage.model.KeyState;
import dev.lanyard.storage.model.OAuthClient;
import dev.lanyard.storage.model.OpaqueToken;
import dev.lanyard.storage.model.PrincipalType;
import dev.lanyard.storage.model.RefreshFamily;
import dev.lanyard.storage.model.RefreshToken;
import dev.lanyard.storage.model.Robot;
import dev.lanyard.storage.model.SigningKey;
import dev.lanyard.storage.model.Tenant;
import dev.lanyard.storage.model.TenantSettings;
import dev.lanyard.storage.model.TokenKind;
import dev.lanyard.storage.model.User;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The behaviour every {@link Storage} must have. A subclass supplies a freshly migrated, empty store per test.
 *
 * <p>Instants in fixtures are truncated to microseconds, the precision storage keeps (see
 * {@link #instantsAreTruncatedToMicroseconds}). Sorted lists use plain lower-case ASCII so the result does not
 * depend on the database collation.
 */
@ExtendWith(VertxExtension.class)
public abstract class StorageConformanceTest {
  static final Instant T0 = Instant.parse("2025-03-04T05:06:07.123456Z");
  static final Instant T1 = Instant.parse("2025-03-05T00:00:00Z");
  static final String AWKWARD = "Zoë 😀 'quote' \"dq\" \\ ; -- %_ \u4e2d\u6587 \t tab";

  private final List<Storage> opened = new ArrayList<>();
  protected Storage s;

  /** A freshly migrated, empty store; a new one for every test. */
  protected abstract Storage openEmpty(Vertx vertx);

  /** Called after every store of the test is closed: drop databases, delete files. */
  protected void afterClose() {}

  @BeforeEach
  void open(Vertx vertx) {
    s = open0(vertx);
  }

  /** Another store on its own empty database, closed after the test. */
  protected final Storage open0(Vertx vertx) {
    Storage storage = openEmpty(vertx);
    opened.add(storage);
    return storage;
  }

  @AfterEach
  final void closeStores() {
    opened.forEach(Storage::close);
    opened.clear();
    afterClose();
  }

  // ---- helpers

  /** Runs the work through the asynchronous {@link Storage#transaction} and waits for it. */
  protected <T> T tx(StoreWork<T> work) {
    return await(s.transaction(work));
  }

  protected static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new AssertionError(e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The exception the transaction failed with. */
  protected Throwable failure(StoreWork<?> work) {
    try {
      s.transaction(work).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("the transaction succeeded");
  }

  static Tenant tenant(String id) {
    return new Tenant(id, "Tenant " + id, T0);
  }

  static User user(String tenantId, String id, String username) {
    return new User(tenantId, id, username, username + "@example.com", true, "User " + username, true,
        "$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA", T0, T1);
  }

  static Group group(String tenantId, String id, String name) {
    return new Group(tenantId, id, name, T0);
  }

  static OAuthClient client(String tenantId, String id) {
    return new OAuthClient(tenantId, id, "Client " + id, "$argon2id$secret",
        List.of("http://localhost:8000", "http://localhost:18000"), Set.of("authorization_code", "refresh_token"), T0,
        tenantId + "/" + id + "/uid");
  }

  static SigningKey key(String tenantId, String kid, Instant createdAt) {
    return new SigningKey(tenantId, kid, "RS256", new byte[] {1, 2, 3, 0, -1, -128, 127}, new byte[] {9, 8, 7},
        KeyState.PUBLISHED, createdAt, createdAt.plusSeconds(600), null, null, null);
  }

  void createTenants(String... ids) {
    tx((StoreSession x) -> {
      for (String id : ids) {
        x.tenants().create(tenant(id));
      }
      return null;
    });
  }

  // ---- tenants

  @Nested
  class Tenants {
    @Test
    void roundTripsEveryField() {
      Tenant t = new Tenant("acme-prod", AWKWARD, T0);
      tx((StoreSession x) -> {
        x.tenants().create(t);
        return null;
      });
      assertThat(tx((StoreSession x) -> x.tenants().find("acme-prod"))).contains(t);
      assertThat(tx((StoreSession x) -> x.tenants().find("nope"))).isEmpty();
    }

    @Test
    void listIsOrderedById() {
      createTenants("b", "c", "a");
      assertThat(tx((StoreSession x) -> x.tenants().list())).extracting(Tenant::id).containsExactly("a", "b", "c");
    }

    @Test
    void createTwiceFailsWithAlreadyExists() {
      createTenants("a");
      assertThat(failure(x -> {
        x.tenants().create(new Tenant("a", "other", T1));
        return null;
      })).isInstanceOf(AlreadyExistsException.class);
      assertThat(tx((StoreSession x) -> x.tenants().find("a"))).contains(tenant("a"));
    }

    @Test
    void updateReplacesTheDisplayNameOnly() {
      createTenants("a");
      tx((StoreSession x) -> {
        x.tenants().update(new Tenant("a", "Renamed", T1));
        return null;
      });
      assertThat(tx((StoreSession x) -> x.tenants().find("a"))).contains(new Tenant("a", "Renamed", T0));
    }

    @Test
    void updateOrDeleteMissingFailsWithNotFound() {
      assertThat(failure(x -> {
        x.tenants().update(tenant("ghost"));
        return null;
      })).isInstanceOf(NotFoundException.class);
      assertThat(failure(x -> {
        x.tenants().delete("ghost");
        return null;
      })).isInstanceOf(NotFoundException.class);
    }

    @Test
    void deletingATenantDeletesEverythingItOwns() {
      createTenants("a", "b");
      for (String t : List.of("a", "b")) {
        tx((StoreSession x) -> {
          x.users().create(user(t, "u1", "alice"));
          x.groups().create(group(t, "g1", "dev"));
          x.groups().addMember(t, "g1", "u1");
          x.clients().create(client(t, "kubectl"));
          x.signingKeys().create(key(t, "k1", T0));
          return null;
        });
      }
      tx((StoreSession x) -> {
        x.tenants().delete("a");
        return null;
      });
      tx((StoreSession x) -> {
        assertThat(x.tenants().find("a")).isEmpty();
        assertThat(x.users().find("a", "u1")).isEmpty();
        assertThat(x.users().count("a")).isZero();
        assertThat(x.groups().list("a")).isEmpty();
        assertThat(x.groups().memberIds("a", "g1")).isEmpty();
        assertThat(x.groups().groupNamesOfUser("a", "u1")).isEmpty();
        assertThat(x.clients().list("a")).isEmpty();
        assertThat(x.signingKeys().list("a")).isEmpty();
        // the other tenant is untouched
        assertThat(x.users().find("b", "u1")).isPresent();
        assertThat(x.groups().groupNamesOfUser("b", "u1")).containsExactly("dev");
        assertThat(x.clients().find("b", "kubectl")).isPresent();
        assertThat(x.signingKeys().find("b", "k1")).isPresent();
        return null;
      });
      // the tenant id can be used again, from scratch
      createTenants("a");
      assertThat(tx((StoreSession x) -> x.users().count("a"))).isZero();
    }
  }

  // ---- users

  @Nested
  class Users {
    @BeforeEach
    void tenants() {
      createTenants("a", "b");
    }

    @Test
    void roundTripsEveryField() {
      User full = new User("a", "u-\u00e9", AWKWARD, "Zoë@Example.COM", true, AWKWARD, false, "$argon2id$x", T0, T1);
      User sparse = new User("a", "u2", "bob", null, false, null, true, null, T1, T1);
      tx((StoreSession x) -> {
        x.users().create(full);
        x.users().create(sparse);
        return null;
      });
      assertThat(tx((StoreSession x) -> x.users().find("a", "u-\u00e9"))).contains(full);
      assertThat(tx((StoreSession x) -> x.users().find("a", "u2"))).contains(sparse);
      assertThat(tx((StoreSession x) -> x.users().findByUsername("a", AWKWARD))).contains(full);
    }

    @Test
    void findByUsernameIsExactAndCaseSensitive() {
      tx((StoreSession x) -> {
        x.users().create(user("a", "u1", "alice"));
        return null;
      });
      assertThat(tx((StoreSession x) -> x.users().findByUsername("a", "alice"))).map(User::id).contains("u1");
      assertThat(tx((StoreSession x) -> x.users().findByUsername("a", "Alice"))).isEmpty();
      assertThat(tx((StoreSession x) -> x.users().findByUsername("a", "alic"))).isEmpty();
    }

    @Test
    void findByEmailIgnoresCaseAndIsEmptyWhenAmbiguous() {
      tx((StoreSession x) -> {
        x.users().create(new User("a", "u1", "alice", "Alice@Example.com", true, null, true, null, T0, T0));
        x.users().create(new User("a", "u2", "bob", "shared@example.com", true, null, true, null, T0, T0));
        x.users().create(new User("a", "u3", "carol", "SHARED@example.com", true, null, true, null, T0, T0));
        x.users().create(new User("a", "u4", "dave", null, false, null, true, null, T0, T0));
        return null;
      });
      assertThat(tx((StoreSession x) -> x.users().findByEmail("a", "alice@EXAMPLE.com"))).map(User::id).contains("u1");
      assertThat(tx((StoreSession x) -> x.users().findByEmail("a", "shared@example.com"))).isEmpty();
      assertThat(tx((StoreSession x) -> x.users().findByEmail("a", "nobody@example.com"))).isEmpty();
      assertThat(tx((StoreSession x) -> x.users().findByEmail("b", "alice@example.com"))).isEmpty();
    }

    @Test
    void createTwiceFailsWithAlreadyExistsForTheIdAndForTheUsername() {
      tx((StoreSession x) -> {
        x.users().create(user("a", "u1", "alice"));
        return null;
      });
      assertThat(failure(x -> {
        x.users().create(user("a", "u1", "other"));
        return null;
      })).isInstanceOf(AlreadyExistsException.class);
      assertThat(failure(x -> {
        x.users().create(user("a", "u2", "alice"));
        return null;
      })).isInstanceOf(AlreadyExistsException.class);
      assertThat(tx((StoreSession x) -> x.users().count("a"))).isEqualTo(1);
    }

    @Test
    void createInAnUnknownTenantFailsWithNotFound() {
      assertThat(failure(x -> {
        x.users().create(user("ghost", "u1", "alice"));
        return null;
      })).isInstanceOf(NotFoundException.class);
    }

    @Test
    void updateReplacesEveryMutableField() {
      tx((StoreSession x) -> {
        x.users().create(user("a", "u1", "alice"));
        return null;
      });
      User changed = new User("a", "u1", "alice2", null, false, null, false, null, T1, T1.plusSeconds(5));
      tx((StoreSession x) -> {
        x.users().update(changed);
        return null;
      });
      // createdAt never changes
      assertThat(tx((StoreSession x) -> x.users().find("a", "u1")))
          .contains(new User("a", "u1", "alice2", null, false, null, false, null, T0, T1.plusSeconds(5)));
      assertThat(tx((StoreSession x) -> x.users().findByUsername("a", "alice"))).isEmpty();
      assertThat(tx((StoreSession x) -> x.users().findByEmail("a", "alice@example.com"))).isEmpty();
    }

    @Test
    void updateToATakenUsernameFailsWithAlreadyExists() {
      tx((StoreSession x) -> {
        x.users().create(user("a", "u1", "alice"));
        x.users().create(user("a", "u2", "bob"));
        return null;
      });
      assertThat(failure(x -> {
        x.users().update(user("a", "u2", "alice"));
        return null;
      })).isInstanceOf(AlreadyExistsException.class);
    }

    @Test
    void updateOrDeleteMissingFailsWithNotFound() {
      assertThat(failure(x -> {
        x.users().update(user("a", "ghost", "ghost"));
        return null;
      })).isInstanceOf(NotFoundException.class);
      assertThat(failure(x -> {
        x.users().delete("a", "ghost");
        return null;
      })).isInstanceOf(NotFoundException.class);
    }

    @Test
    void replacePasswordHashOnlyWhileTheHashIsUnchanged() {
      User alice = user("a", "u1", "alice");
      Instant later = T1.plusSeconds(10);
      tx((StoreSession x) -> {
        x.users().create(alice);
        x.users().create(user("b", "u1", "alice"));
        return null;
      });
      // Meanwhile an administrator disabled the account: the rehash changes the hash and leaves that alone.
      tx((StoreSession x) -> {
        x.users().update(new User("a", "u1", "alice", alice.email(), true, alice.displayName(), false,
            alice.passwordHash(), T0, T1));
        return null;
      });
      assertThat(tx((StoreSession x) -> x.users().replacePasswordHash("a", "u1", alice.passwordHash(), "$new", later)))
          .isTrue();
      User now = tx((StoreSession x) -> x.users().find("a", "u1")).orElseThrow();
      assertThat(now.passwordHash()).isEqualTo("$new");
      assertThat(now.enabled()).isFalse();
      assertThat(now.updatedAt()).isEqualTo(later);
      // A hash that is no longer the stored one (a password set since), another tenant's user, no user: nothing.
      assertThat(tx((StoreSession x) -> x.users().replacePasswordHash("a", "u1", alice.passwordHash(), "$stale", later)))
          .isFalse();
      assertThat(tx((StoreSession x) -> x.users().find("a", "u1")).orElseThrow().passwordHash()).isEqualTo("$new");
      assertThat(tx((StoreSession x) -> x.users().replacePasswordHash("b", "u1", "$new", "$other", later))).isFalse();
      assertThat(tx((StoreSession x) -> x.users().find("b", "u1")).orElseThrow().passwordHash())
          .isEqualTo(alice.passwordHash());
      assertThat(tx((StoreSession x) -> x.users().replacePasswordHash("a", "ghost", "$new", "$other", later))).isFalse();
    }

    @Test
    void listPagesInUsernameOrderAndCounts() {
      tx((StoreSession x) -> {
        for (String name : List.of("dave", "alice", "erin", "carol", "bob")) {
          x.users().create(user("a", "id-" + name, name));
        }
        x.users().create(user("b", "id-aaron", "aaron"));
        return null;
      });
      assertThat(tx((StoreSession x) -> x.users().list("a", 0, 10))).extracting(User::username)
          .containsExactly("alice", "bob", "carol", "dave", "erin");
      assertThat(tx((StoreSession x) -> x.users().list("a", 1, 2))).extracting(User::username).containsExactly("bob", "carol");
      assertThat(tx((StoreSession x) -> x.users().list("a", 4, 10))).extracting(User::username).containsExactly("erin");
      assertThat(tx((StoreSession x) -> x.users().list("a", 5, 10))).isEmpty();
      assertThat(tx((StoreSession x) -> x.users().list("a", 0, 0))).isEmpty();
      assertThat(tx((StoreSession x) -> x.users().count("a"))).isEqualTo(5);
      assertThat(tx((StoreSession x) -> x.users().count("b"))).isEqualTo(1);
      assertThat(tx((StoreSession x) -> x.users().count("ghost"))).isZero();
    }

    @Test
    void deleteRemovesTheUserAndItsMemberships() {
      tx((StoreSession x) -> {
        x.users().create(user("a", "u1", "alice"));
        x.users().create(user("a", "u2", "bob"));
        x.groups().create(group("a", "g1", "dev"));
        x.groups().addMember("a", "g1", "u1");
        x.groups().addMember("a", "g1", "u2");
        return null;
      });
      tx((StoreSession x) -> {
        x.users().delete("a", "u1");
        return null;
      });
      assertThat(tx((StoreSession x) -> x.users().find("a", "u1"))).isEmpty();
      assertThat(tx((StoreSession x) -> x.groups().memberIds("a", "g1"))).containsExactly("u2");
      assertThat(tx((StoreSession x) -> x.groups().groupNamesOfUser("a", "u1"))).isEmpty();
      // a new user with the same id does not inherit the old memberships
      tx((StoreSession x) -> {
        x.users().create(user("a", "u1", "alice"));
        return null;
      });
      assertThat(tx((StoreSession x) -> x.groups().groupNamesOfUser("a", "u1"))).isEmpty();
    }
  }

  // ---- tenant isolation

  @Nested
  class TenantIsolation {
    @BeforeEach
    void tenants() {
      createTenants("a", "b");
    }

    @Test
    void sameIdsInTwoTenantsAreIndependent() {
      tx((StoreSession x) -> {
        x.users().create(new User("a", "u1", "alice", "alice@a.example", true, "A", true, "ha", T0, T0));
        x.users().create(new User("b", "u1", "alice", "alice@b.example", false, "B", false, null, T1, T1));
        x.groups().create(group("a", "g1", "dev"));
        x.groups().create(group("b", "g1", "dev"));
        x.clients().create(client("a", "kubectl"));
        x.clients().create(new OAuthClient("b", "kubectl", "B's", null, List.of(), Set.of(), T1, "uid-b-kubectl"));
        x.signingKeys().create(key("a", "k1", T0));
        x.signingKeys().create(key("b", "k1", T1));
        x.groups().addMember("a", "g1", "u1");
        return null;
      });
      tx((StoreSession x) -> {
        assertThat(x.users().find("a", "u1")).map(User::displayName).contains("A");
        assertThat(x.users().find("b", "u1")).map(User::displayName).contains("B");
        assertThat(x.clients().find("b", "kubectl")).map(OAuthClient::isPublic).contains(true);
        assertThat(x.clients().find("a", "kubectl")).map(OAuthClient::isPublic).contains(false);
        assertThat(x.signingKeys().find("b", "k1")).map(SigningKey::createdAt).contains(T1);
        assertThat(x.groups().groupNamesOfUser("a", "u1")).containsExactly("dev");
        assertThat(x.groups().groupNamesOfUser("b", "u1")).isEmpty();
        assertThat(x.groups().memberIds("b", "g1")).isEmpty();
        return null;
      });
      // changing or deleting in one tenant leaves the other alone
      tx((StoreSession x) -> {
        x.users().update(new User("a", "u1", "alice-a", null, false, null, true, null, T0, T1));
        x.groups().update(group("a", "g1", "ops"));
        x.clients().delete("a", "kubectl");
        x.signingKeys().delete("a", "k1");
        x.users().delete("a", "u1");
        return null;
      });
      tx((StoreSession x) -> {
        assertThat(x.users().find("b", "u1")).map(User::username).contains("alice");
        assertThat(x.groups().find("b", "g1")).map(Group::name).contains("dev");
        assertThat(x.clients().find("b", "kubectl")).isPresent();
        assertThat(x.signingKeys().find("b", "k1")).isPresent();
        return null;
      });
    }

    @Test
    void findInTheWrongTenantIsEmptyAndListsShowOnlyTheirTenant() {
      tx((StoreSession x) -> {
        x.users().create(user("a", "ua", "alice"));
        x.groups().create(group("a", "ga", "dev"));
        x.groups().addMember("a", "ga", "ua");
        x.clients().create(client("a", "ca"));
        x.signingKeys().create(key("a", "ka", T0));
        x.users().create(user("b", "ub", "bob"));
        return null;
      });
      tx((StoreSession x) -> {
        assertThat(x.users().find("b", "ua")).isEmpty();
        assertThat(x.users().findByUsername("b", "alice")).isEmpty();
        assertThat(x.users().findByEmail("b", "alice@example.com")).isEmpty();
        assertThat(x.groups().find("b", "ga")).isEmpty();
        assertThat(x.groups().findByName("b", "dev")).isEmpty();
        assertThat(x.clients().find("b", "ca")).isEmpty();
        assertThat(x.signingKeys().find("b", "ka")).isEmpty();
        assertThat(x.groups().memberIds("b", "ga")).isEmpty();
        assertThat(x.groups().groupNamesOfUser("b", "ua")).isEmpty();
        assertThat(x.users().list("b", 0, 100)).extracting(User::id).containsExactly("ub");
        assertThat(x.groups().list("b")).isEmpty();
        assertThat(x.clients().list("b")).isEmpty();
        assertThat(x.signingKeys().list("b")).isEmpty();
        return null;
      });
    }

    @Test
    void changesNamingAnotherTenantsRowsFail() {
      tx((StoreSession x) -> {
        x.users().create(user("a", "ua", "alice"));
        x.groups().create(group("a", "ga", "dev"));
        x.clients().create(client("a", "ca"));
        x.signingKeys().create(key("a", "ka", T0));
        x.groups().create(group("b", "gb", "dev"));
        return null;
      });
      List<StoreWork<?>> wrongTenant = List.of(
          x -> { x.users().update(user("b", "ua", "alice")); return null; },
          x -> { x.users().delete("b", "ua"); return null; },
          x -> { x.groups().update(group("b", "ga", "x")); return null; },
          x -> { x.groups().delete("b", "ga"); return null; },
          x -> { x.clients().update(client("b", "ca")); return null; },
          x -> { x.clients().delete("b", "ca"); return null; },
          x -> { x.signingKeys().update(key("b", "ka", T0)); return null; },
          x -> { x.signingKeys().delete("b", "ka"); return null; },
          // a member of a group of tenant b must be a user of tenant b
          x -> { x.groups().addMember("b", "gb", "ua"); return null; });
      for (StoreWork<?> work : wrongTenant) {
        assertThat(failure(work)).isInstanceOf(NotFoundException.class);
      }
      assertThat(tx((StoreSession x) -> x.users().find("a", "ua"))).isPresent();
      assertThat(tx((StoreSession x) -> x.groups().find("a", "ga"))).isPresent();
    }
  }

  // ---- groups and memberships

  @Nested
  class Groups {
    @BeforeEach
    void data() {
      createTenants("a", "b");
      tx((StoreSession x) -> {
        x.users().create(user("a", "u1", "alice"));
        x.users().create(user("a", "u2", "bob"));
        x.groups().create(group("a", "g1", "ops"));
        x.groups().create(group("a", "g2", "dev"));
        x.groups().create(group("a", "g3", "qa"));
        return null;
      });
    }

    @Test
    void roundTripsEveryField() {
      Group g = new Group("a", "g-\u00e9", AWKWARD, T1);
      tx((StoreSession x) -> {
        x.groups().create(g);
        return null;
      });
      assertThat(tx((StoreSession x) -> x.groups().find("a", "g-\u00e9"))).contains(g);
      assertThat(tx((StoreSession x) -> x.groups().findByName("a", AWKWARD))).contains(g);
      assertThat(tx((StoreSession x) -> x.groups().findByName("a", "nope"))).isEmpty();
    }

    @Test
    void listIsOrderedByName() {
      assertThat(tx((StoreSession x) -> x.groups().list("a"))).extracting(Group::name).containsExactly("dev", "ops", "qa");
    }

    @Test
    void createFailsWithAlreadyExistsForATakenIdOrName() {
      assertThat(failure(x -> {
        x.groups().create(group("a", "g1", "other"));
        return null;
      })).isInstanceOf(AlreadyExistsException.class);
      assertThat(failure(x -> {
        x.groups().create(group("a", "g9", "dev"));
        return null;
      })).isInstanceOf(AlreadyExistsException.class);
    }

    @Test
    void renameWorksAndFailsForATakenNameOrAMissingGroup() {
      tx((StoreSession x) -> {
        x.groups().addMember("a", "g1", "u1");
        x.groups().update(new Group("a", "g1", "admins", T1));
        return null;
      });
      assertThat(tx((StoreSession x) -> x.groups().find("a", "g1"))).contains(new Group("a", "g1", "admins", T0));
      assertThat(tx((StoreSession x) -> x.groups().groupNamesOfUser("a", "u1"))).containsExactly("admins");
      assertThat(failure(x -> {
        x.groups().update(group("a", "g1", "dev"));
        return null;
      })).isInstanceOf(AlreadyExistsException.class);
      assertThat(failure(x -> {
        x.groups().update(group("a", "ghost", "x"));
        return null;
      })).isInstanceOf(NotFoundException.class);
      assertThat(failure(x -> {
        x.groups().delete("a", "ghost");
        return null;
      })).isInstanceOf(NotFoundException.class);
    }

    @Test
    void addingAMemberTwiceIsNotAnError() {
      tx((StoreSession x) -> {
        x.groups().addMember("a", "g1", "u1");
        x.groups().addMember("a", "g1", "u1");
        return null;
      });
      tx((StoreSession x) -> {
        x.groups().addMember("a", "g1", "u1");
        return null;
      });
      assertThat(tx((StoreSession x) -> x.groups().memberIds("a", "g1"))).containsExactly("u1");
    }

    @Test
    void addingAnUnknownUserOrGroupFailsWithNotFound() {
      assertThat(failure(x -> {
        x.groups().addMember("a", "g1", "ghost");
        return null;
      })).isInstanceOf(NotFoundException.class);
      assertThat(failure(x -> {
        x.groups().addMember("a", "ghost", "u1");
        return null;
      })).isInstanceOf(NotFoundException.class);
      assertThat(failure(x -> {
        x.groups().addMember("ghost", "g1", "u1");
        return null;
      })).isInstanceOf(NotFoundException.class);
    }

    @Test
    void removeMemberIsIdempotent() {
      tx((StoreSession x) -> {
        x.groups().addMember("a", "g1", "u1");
        x.groups().addMember("a", "g1", "u2");
        x.groups().removeMember("a", "g1", "u1");
        x.groups().removeMember("a", "g1", "u1");
        x.groups().removeMember("a", "g2", "u1");
        return null;
      });
      assertThat(tx((StoreSession x) -> x.groups().memberIds("a", "g1"))).containsExactly("u2");
    }

    @Test
    void groupNamesOfUserAreSortedAndMemberIdsToo() {
      tx((StoreSession x) -> {
        x.groups().addMember("a", "g3", "u1");
        x.groups().addMember("a", "g1", "u1");
        x.groups().addMember("a", "g2", "u1");
        x.groups().addMember("a", "g1", "u2");
        return null;
      });
      assertThat(tx((StoreSession x) -> x.groups().groupNamesOfUser("a", "u1"))).containsExactly("dev", "ops", "qa");
      assertThat(tx((StoreSession x) -> x.groups().memberIds("a", "g1"))).containsExactly("u1", "u2");
      assertThat(tx((StoreSession x) -> x.groups().groupNamesOfUser("a", "ghost"))).isEmpty();
    }

    @Test
    void setGroupsOfUserMakesTheUserAMemberOfExactlyThose() {
      tx((StoreSession x) -> {
        x.groups().addMember("a", "g1", "u1");
        x.groups().addMember("a", "g1", "u2");
        x.groups().setGroupsOfUser("a", "u1", Set.of("g2", "g3"));
        return null;
      });
      assertThat(tx((StoreSession x) -> x.groups().groupNamesOfUser("a", "u1"))).containsExactly("dev", "qa");
      assertThat(tx((StoreSession x) -> x.groups().memberIds("a", "g1"))).containsExactly("u2"); // others untouched
      tx((StoreSession x) -> {
        x.groups().setGroupsOfUser("a", "u1", Set.of());
        return null;
      });
      assertThat(tx((StoreSession x) -> x.groups().groupNamesOfUser("a", "u1"))).isEmpty();
    }

    @Test
    void setGroupsOfUserWithAnUnknownGroupFailsAndChangesNothing() {
      tx((StoreSession x) -> {
        x.groups().addMember("a", "g1", "u1");
        return null;
      });
      assertThat(failure(x -> {
        x.groups().setGroupsOfUser("a", "u1", Set.of("g2", "ghost"));
        return null;
      })).isInstanceOf(NotFoundException.class);
      assertThat(tx((StoreSession x) -> x.groups().groupNamesOfUser("a", "u1"))).containsExactly("ops");
      assertThat(failure(x -> {
        x.groups().setGroupsOfUser("a", "ghost", Set.of("g1"));
        return null;
      })).isInstanceOf(NotFoundException.class);
    }

    @Test
    void deletingAGroupRemovesItsMemberships() {
      tx((StoreSession x) -> {
        x.groups().addMember("a", "g1", "u1");
        x.groups().addMember("a", "g2", "u1");
        x.groups().delete("a", "g1");
        return null;
      });
      assertThat(tx((StoreSession x) -> x.groups().find("a", "g1"))).isEmpty();
      assertThat(tx((StoreSession x) -> x.groups().groupNamesOfUser("a", "u1"))).containsExactly("dev");
      assertThat(tx((StoreSession x) -> x.groups().memberIds("a", "g1"))).isEmpty();
    }
  }

  // ---- clients

  @Nested
  class Clients {
    @BeforeEach
    void tenants() {
      createTenants("a");
    }

    @Test
    void roundTripsEveryField() {
      List<String> many = IntStream.range(0, 60)
          .mapToObj(i -> "http://127.0.0.1:" + (9000 - i * 7) + "/cb?x=" + i + "&y=%2F" + (i % 2 == 0 ? "é" : ""))
          .toList();
      OAuthClient confidential = new OAuthClient("a", "ci-robot", AWKWARD, "$argon2id$v=19$secret", many,
          Set.of("client_credentials", "urn:ietf:params:oauth:grant-type:device_code", "password"), T0, AWKWARD);
      OAuthClient publicClient = new OAuthClient("a", "kubectl", "kubectl", null, List.of(), Set.of(), T1, "u2");
      OAuthClient awkward = new OAuthClient("a", "weird", "w",  "h",
          List.of("https://example.com/a,b", "https://example.com/\"q\"", "https://example.com/[1]", "https://x/😀"),
          Set.of("authorization_code"), T1, "u3");
      tx((StoreSession x) -> {
        x.clients().create(confidential);
        x.clients().create(publicClient);
        x.clients().create(awkward);
        return null;
      });
      OAuthClient found = tx((StoreSession x) -> x.clients().find("a", "ci-robot")).orElseThrow();
      assertThat(found).isEqualTo(confidential);
      assertThat(found.redirectUris()).containsExactlyElementsOf(many);
      assertThat(tx((StoreSession x) -> x.clients().find("a", "kubectl"))).contains(publicClient);
      assertThat(tx((StoreSession x) -> x.clients().find("a", "kubectl")).orElseThrow().isPublic()).isTrue();
      assertThat(tx((StoreSession x) -> x.clients().find("a", "weird")).orElseThrow().redirectUris())
          .containsExactlyElementsOf(awkward.redirectUris());
      assertThat(tx((StoreSession x) -> x.clients().list("a"))).extracting(OAuthClient::id).containsExactly("ci-robot", "kubectl", "weird");
    }

    @Test
    void createTwiceFailsWithAlreadyExists() {
      tx((StoreSession x) -> {
        x.clients().create(client("a", "c1"));
        return null;
      });
      assertThat(failure(x -> {
        x.clients().create(client("a", "c1"));
        return null;
      })).isInstanceOf(AlreadyExistsException.class);
    }

    @Test
    void updateReplacesEveryMutableField() {
      tx((StoreSession x) -> {
        x.clients().create(client("a", "c1"));
        return null;
      });
      OAuthClient changed = new OAuthClient("a", "c1", "New name", null, List.of("http://localhost:3/z", "http://localhost:1/a"),
          Set.of("password"), T1, "another uid");
      tx((StoreSession x) -> {
        x.clients().update(changed);
        return null;
      });
      assertThat(tx((StoreSession x) -> x.clients().find("a", "c1"))).contains(new OAuthClient("a", "c1", "New name", null,
          List.of("http://localhost:3/z", "http://localhost:1/a"), Set.of("password"), T0, "a/c1/uid"));
    }

    /** The uid tells a client deleted and created again under its id from the one before (V9). */
    @Test
    void aClientCreatedAgainHasItsNewUid() {
      tx((StoreSession x) -> {
        x.clients().create(client("a", "c1"));
        return null;
      });
      tx((StoreSession x) -> {
        x.clients().delete("a", "c1");
        x.clients().create(new OAuthClient("a", "c1", "Again", null, List.of(), Set.of(), T1, "second uid"));
        return null;
      });
      assertThat(tx((StoreSession x) -> x.clients().find("a", "c1"))).map(OAuthClient::uid).contains("second uid");
      assertThat(tx((StoreSession x) -> x.clients().list("a"))).extracting(OAuthClient::uid).containsExactly("second uid");
    }

    @Test
    void updateOrDeleteMissingFailsWithNotFound() {
      assertThat(failure(x -> {
        x.clients().update(client("a", "ghost"));
        return null;
      })).isInstanceOf(NotFoundException.class);
      assertThat(failure(x -> {
        x.clients().delete("a", "ghost");
        return null;
      })).isInstanceOf(NotFoundException.class);
      tx((StoreSession x) -> {
        x.clients().create(client("a", "c1"));
        x.clients().delete("a", "c1");
        return null;
      });
      assertThat(tx((StoreSession x) -> x.clients().find("a", "c1"))).isEmpty();
    }
  }

  // ---- signing keys

  @Nested
  class SigningKeys {
    @BeforeEach
    void tenants() {
      createTenants("a");
    }

    @Test
    void roundTripsEveryField() {
      byte[] big = new byte[4096];
      for (int i = 0; i < big.length; i++) {
        big[i] = (byte) (i * 31);
      }
      SigningKey full = new SigningKey("a", "kid-full", "ES256", big, new byte[0], KeyState.RETIRED, T0,
          T0.plusSeconds(1), T1, T1.plusMillis(1), T1.plusSeconds(3600).plusNanos(1000));
      SigningKey sparse = key("a", "kid-sparse", T1);
      tx((StoreSession x) -> {
        x.signingKeys().create(full);
        x.signingKeys().create(sparse);
        return null;
      });
      assertThat(tx((StoreSession x) -> x.signingKeys().find("a", "kid-full"))).contains(full);
      assertThat(tx((StoreSession x) -> x.signingKeys().find("a", "kid-sparse"))).contains(sparse);
    }

    @Test
    void listIsOldestFirst() {
      tx((StoreSession x) -> {
        x.signingKeys().create(key("a", "k-c", T0.plusSeconds(20)));
        x.signingKeys().create(key("a", "k-a", T0.plusSeconds(30)));
        x.signingKeys().create(key("a", "k-b", T0));
        return null;
      });
      assertThat(tx((StoreSession x) -> x.signingKeys().list("a"))).extracting(SigningKey::kid).containsExactly("k-b", "k-c", "k-a");
    }

    @Test
    void updateReplacesStateAndTimestampsButNotTheKeyMaterial() {
      SigningKey k = key("a", "k1", T0);
      tx((StoreSession x) -> {
        x.signingKeys().create(k);
        return null;
      });
      SigningKey retired = new SigningKey("a", "k1", "RS256", new byte[] {42}, new byte[] {43}, KeyState.RETIRED, T0,
          T0.plusSeconds(5), T1, T1.plusSeconds(1), T1.plusSeconds(2));
      tx((StoreSession x) -> {
        x.signingKeys().update(retired);
        return null;
      });
      assertThat(tx((StoreSession x) -> x.signingKeys().find("a", "k1"))).contains(new SigningKey("a", "k1", "RS256", k.publicKey(),
          k.encryptedPrivateKey(), KeyState.RETIRED, T0, T0.plusSeconds(5), T1, T1.plusSeconds(1), T1.plusSeconds(2)));
      tx((StoreSession x) -> {
        x.signingKeys().update(retired.withState(KeyState.ACTIVE, null, null));
        return null;
      });
      SigningKey back = tx((StoreSession x) -> x.signingKeys().find("a", "k1")).orElseThrow();
      assertThat(back.state()).isEqualTo(KeyState.ACTIVE);
      assertThat(back.retiredAt()).isNull();
      assertThat(back.unpublishAfter()).isNull();
    }

    @Test
    void createTwiceUpdateOrDeleteMissing() {
      tx((StoreSession x) -> {
        x.signingKeys().create(key("a", "k1", T0));
        return null;
      });
      assertThat(failure(x -> {
        x.signingKeys().create(key("a", "k1", T1));
        return null;
      })).isInstanceOf(AlreadyExistsException.class);
      assertThat(failure(x -> {
        x.signingKeys().update(key("a", "ghost", T1));
        return null;
      })).isInstanceOf(NotFoundException.class);
      assertThat(failure(x -> {
        x.signingKeys().delete("a", "ghost");
        return null;
      })).isInstanceOf(NotFoundException.class);
      tx((StoreSession x) -> {
        x.signingKeys().delete("a", "k1");
        return null;
      });
      assertThat(tx((StoreSession x) -> x.signingKeys().list("a"))).isEmpty();
    }
  }

  // ---- instants

  @Test
  void instantsComeBackEqualInUtc() {
    List<Instant> awkward = List.of(Instant.EPOCH, Instant.parse("1969-12-31T23:59:59.999999Z"),
        Instant.parse("2038-01-19T03:14:08Z"), Instant.parse("2999-12-31T23:59:59.999999Z"),
        Instant.parse("2024-02-29T12:00:00.000001Z"), Instant.parse("2025-03-30T01:30:00Z"));
    tx((StoreSession x) -> {
      for (int i = 0; i < awkward.size(); i++) {
        x.tenants().create(new Tenant("t" + i, "t", awkward.get(i)));
      }
      return null;
    });
    for (int i = 0; i < awkward.size(); i++) {
      String id = "t" + i;
      assertThat(tx((StoreSession x) -> x.tenants().find(id))).map(Tenant::createdAt).contains(awkward.get(i));
    }
  }

  @Test
  void instantsAreTruncatedToMicroseconds() {
    Instant nanos = Instant.parse("2025-01-02T03:04:05.123456789Z");
    createTenants("a");
    tx((StoreSession x) -> {
      x.users().create(new User("a", "u1", "alice", null, false, null, true, null, nanos, nanos));
      return null;
    });
    assertThat(tx((StoreSession x) -> x.users().find("a", "u1"))).map(User::createdAt).contains(nanos.truncatedTo(ChronoUnit.MICROS));
  }

  // ---- transactions

  @Nested
  class Transactions {
    @Test
    void aTransactionThatThrowsAfterWritingLeavesNothingWritten() {
      RuntimeException boom = new RuntimeException("boom");
      Throwable failed = failure(x -> {
        x.tenants().create(tenant("a"));
        x.users().create(user("a", "u1", "alice"));
        x.groups().create(group("a", "g1", "dev"));
        throw boom;
      });
      assertThat(failed).isSameAs(boom);
      assertThat(tx((StoreSession x) -> x.tenants().list())).isEmpty();
      assertThat(tx((StoreSession x) -> x.users().count("a"))).isZero();
    }

    @Test
    void aFailingStatementRollsBackTheEarlierWritesOfItsTransaction() {
      createTenants("a");
      assertThat(failure(x -> {
        x.users().create(user("a", "u1", "alice"));
        x.tenants().create(tenant("a")); // AlreadyExists
        return null;
      })).isInstanceOf(AlreadyExistsException.class);
      assertThat(tx((StoreSession x) -> x.users().find("a", "u1"))).isEmpty();
    }

    @Test
    void aCheckedExceptionFailsTheFutureWithItself() {
      IOException io = new IOException("disk");
      assertThat(failure(x -> {
        x.tenants().create(tenant("a"));
        throw io;
      })).isSameAs(io);
      assertThat(tx((StoreSession x) -> x.tenants().find("a"))).isEmpty();
    }

    @Test
    void theResultOfTheWorkIsTheResultOfTheTransaction() {
      assertThat(tx((StoreSession x) -> 42)).isEqualTo(42);
      Object nothing = tx((StoreSession x) -> null);
      assertThat(nothing).isNull();
    }

    @Test
    void transactionBlockingRunsOnTheCallingThreadAndRollsBack() {
      Thread caller = Thread.currentThread();
      assertThat(s.transactionBlocking((StoreSession x) -> Thread.currentThread())).isSameAs(caller);
      assertThatThrownBy(() -> s.transactionBlocking(x -> {
        x.tenants().create(tenant("a"));
        throw new IllegalArgumentException("no");
      })).isInstanceOf(IllegalArgumentException.class);
      assertThat(s.transactionBlocking((StoreSession x) -> x.tenants().list())).isEmpty();
      s.transactionBlocking(x -> {
        x.tenants().create(tenant("a"));
        return null;
      });
      assertThat(tx((StoreSession x) -> x.tenants().find("a"))).isPresent();
    }

    @Test
    void transactionRunsOffTheEventLoop(Vertx vertx) {
      CompletableFuture<Boolean> onEventLoop = new CompletableFuture<>();
      vertx.runOnContext(v -> s.transaction((StoreSession x) -> io.vertx.core.Context.isOnEventLoopThread())
          .onComplete(r -> onEventLoop.complete(r.result())));
      assertThat(onEventLoop.orTimeout(30, TimeUnit.SECONDS).join()).isFalse();
    }

    @Test
    void transactionBlockingRefusesToRunOnAnEventLoop(Vertx vertx) {
      CompletableFuture<Throwable> thrown = new CompletableFuture<>();
      vertx.runOnContext(v -> {
        try {
          s.transactionBlocking(x -> {
            x.tenants().create(tenant("a"));
            return null;
          });
          thrown.complete(null);
        } catch (Throwable t) {
          thrown.complete(t);
        }
      });
      assertThat(thrown.orTimeout(30, TimeUnit.SECONDS).join()).isInstanceOf(IllegalStateException.class);
      assertThat(tx((StoreSession x) -> x.tenants().find("a"))).isEmpty();
    }

    @Test
    void concurrentTransactionsDoNotLoseWrites() {
      createTenants("a");
      tx((StoreSession x) -> {
        x.groups().create(group("a", "g1", "everyone"));
        return null;
      });
      int n = 40;
      List<Future<Void>> all = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String id = String.format("u%03d", i);
        all.add(s.transaction(x -> {
          x.users().create(user("a", id, "user" + id));
          x.groups().addMember("a", "g1", id);
          x.tenants().update(new Tenant("a", "last writer " + id, T0));
          return null;
        }));
      }
      await(Future.all(all));
      assertThat(tx((StoreSession x) -> x.users().count("a"))).isEqualTo(n);
      assertThat(tx((StoreSession x) -> x.groups().memberIds("a", "g1"))).hasSize(n);
      assertThat(tx((StoreSession x) -> x.tenants().find("a"))).map(Tenant::displayName).get().asString().startsWith("last writer u");
    }

    @Test
    void concurrentSetGroupsOfUserEndsInOneOfTheRequestedSets() {
      createTenants("a");
      tx((StoreSession x) -> {
        x.users().create(user("a", "u1", "alice"));
        for (int g = 0; g < 6; g++) {
          x.groups().create(group("a", "g" + g, "group" + g));
        }
        return null;
      });
      List<Set<String>> wanted = new ArrayList<>();
      List<Future<Void>> all = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        Set<String> set = new HashSet<>(List.of("g" + (i % 6), "g" + ((i + 1) % 6)));
        wanted.add(set);
        all.add(s.transaction(x -> {
          x.groups().setGroupsOfUser("a", "u1", set);
          return null;
        }));
      }
      // They run one after the other: all succeed, and the result is exactly one requested set, not a mix.
      await(Future.all(all));
      List<String> groups = tx((StoreSession x) -> x.groups().list("a").stream()
          .filter(g -> x.groups().memberIds("a", g.id()).contains("u1")).map(Group::id).toList());
      assertThat(wanted).contains(new HashSet<>(groups));
    }

    @Test
    void storesOpenedTogetherAreSeparate(Vertx vertx) {
      Storage other = open0(vertx);
      createTenants("a");
      assertThat(await(other.transaction((StoreSession x) -> x.tenants().list()))).isEmpty();
      assertThat(s.databaseName()).isNotBlank();
      assertThat(Optional.ofNullable(other.databaseName())).isPresent();
    }
  }

  // ---- opaque tokens, robots, clusters, audit, admin roles, tenant settings, change feed

  static byte[] sha256(String s) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  static Robot robot(String tenantId, String id, String name) {
    return new Robot(tenantId, id, name, "Robot " + name, true, T0, T1);
  }

  /** A token of a user, created at T0 + createdOffset seconds, valid for a year. */
  static OpaqueToken token(String tenantId, String id, PrincipalType type, String principalId, long createdOffset) {
    Instant created = T0.plusSeconds(createdOffset);
    return new OpaqueToken(tenantId, id, sha256(tenantId + "/" + id), TokenKind.KUBERNETES, type, principalId, null,
        List.of(), created, created.plus(Duration.ofDays(365)), null, null, null);
  }

  static OpaqueToken userToken(String tenantId, String id, String userId, long createdOffset) {
    return token(tenantId, id, PrincipalType.USER, userId, createdOffset);
  }

  static OpaqueToken withTimes(OpaqueToken t, Instant expiresAt, Instant revokedAt, Instant lastUsedAt) {
    return new OpaqueToken(t.tenantId(), t.id(), t.hash(), t.kind(), t.principalType(), t.principalId(),
        t.description(), t.clusters(), t.createdAt(), expiresAt, revokedAt, lastUsedAt, t.createdBy());
  }

  static OpaqueToken withKind(OpaqueToken t, TokenKind kind) {
    return new OpaqueToken(t.tenantId(), t.id(), t.hash(), kind, t.principalType(), t.principalId(),
        t.description(), t.clusters(), t.createdAt(), t.expiresAt(), t.revokedAt(), t.lastUsedAt(), t.createdBy());
  }

  void create(OpaqueToken... tokens) {
    tx((StoreSession x) -> {
      for (OpaqueToken t : tokens) {
        x.tokens().create(t);
      }
      return null;
    });
  }

  @Nested
  class TenantSettingsStorage {
    @Test
    void settingsRoundTripAndUpdateReplacesThem() {
      TenantSettings custom = new TenantSettings(TenantSettings.EMAIL, AWKWARD, Duration.ofMinutes(15),
          Duration.ofDays(30), Duration.ofDays(400).plusNanos(1_500), Duration.ofMinutes(5), Duration.ofDays(7),
          Duration.ofDays(90));
      Tenant t = new Tenant("a", "A", T0, custom);
      tx((StoreSession x) -> {
        x.tenants().create(t);
        x.tenants().create(tenant("b"));
        return null;
      });
      assertThat(tx((StoreSession x) -> x.tenants().find("a"))).contains(t);
      assertThat(tx((StoreSession x) -> x.tenants().find("b"))).map(Tenant::settings).contains(TenantSettings.defaults());
      assertThat(tx((StoreSession x) -> x.tenants().list())).extracting(Tenant::settings)
          .containsExactly(custom, TenantSettings.defaults());

      TenantSettings partly = new TenantSettings(null, "bot/", null, Duration.ofHours(1), null);
      tx((StoreSession x) -> {
        x.tenants().update(new Tenant("a", "A2", T1, partly));
        return null;
      });
      assertThat(tx((StoreSession x) -> x.tenants().find("a"))).contains(new Tenant("a", "A2", T0, partly));
      assertThat(partly.usernameFrom()).isEqualTo(TenantSettings.USERNAME);
    }
  }

  @Nested
  class Robots {
    @BeforeEach
    void tenants() {
      createTenants("a", "b");
    }

    @Test
    void roundTripsEveryField() {
      Robot r = new Robot("a", "r-" + AWKWARD, AWKWARD, AWKWARD, false, T0, T1);
      Robot bare = new Robot("a", "r2", "ci", null, true, T1, T1);
      tx((StoreSession x) -> {
        x.robots().create(r);
        x.robots().create(bare);
        return null;
      });
      assertThat(tx((StoreSession x) -> x.robots().find("a", r.id()))).contains(r);
      assertThat(tx((StoreSession x) -> x.robots().findByName("a", "ci"))).contains(bare);
      assertThat(tx((StoreSession x) -> x.robots().find("b", "r2"))).isEmpty();
      assertThat(tx((StoreSession x) -> x.robots().findByName("a", "CI"))).isEmpty();
    }

    @Test
    void createFailsForATakenIdOrNameAndAnUnknownTenant() {
      tx((StoreSession x) -> {
        x.robots().create(robot("a", "r1", "ci"));
        x.robots().create(robot("b", "r1", "ci")); // another tenant: fine
        return null;
      });
      assertThat(failure(x -> {
        x.robots().create(robot("a", "r1", "other"));
        return null;
      })).isInstanceOf(AlreadyExistsException.class);
      assertThat(failure(x -> {
        x.robots().create(robot("a", "r2", "ci"));
        return null;
      })).isInstanceOf(AlreadyExistsException.class);
      assertThat(failure(x -> {
        x.robots().create(robot("ghost", "r1", "ci"));
        return null;
      })).isInstanceOf(NotFoundException.class);
    }

    @Test
    void listPagesInNameOrderAndCounts() {
      tx((StoreSession x) -> {
        for (String name : List.of("d", "b", "a", "e", "c")) {
          x.robots().create(robot("a", "id-" + name, name));
        }
        x.robots().create(robot("b", "x", "x"));
        return null;
      });
      assertThat(tx((StoreSession x) -> x.robots().list("a", 0, 2))).extracting(Robot::name).containsExactly("a", "b");
      assertThat(tx((StoreSession x) -> x.robots().list("a", 2, 10))).extracting(Robot::name).containsExactly("c", "d", "e");
      assertThat(tx((StoreSession x) -> x.robots().count("a"))).isEqualTo(5);
      assertThat(tx((StoreSession x) -> x.robots().count("ghost"))).isZero();
    }

    @Test
    void updateReplacesMutableFieldsAndFailsForATakenNameOrAMissingRobot() {
      tx((StoreSession x) -> {
        x.robots().create(robot("a", "r1", "ci"));
        x.robots().create(robot("a", "r2", "deploy"));
        return null;
      });
      Robot changed = new Robot("a", "r1", "ci-renamed", null, false, T1, T1.plusSeconds(5));
      tx((StoreSession x) -> {
        x.robots().update(changed);
        return null;
      });
      // createdAt never changes
      assertThat(tx((StoreSession x) -> x.robots().find("a", "r1")))
          .contains(new Robot("a", "r1", "ci-renamed", null, false, T0, T1.plusSeconds(5)));
      assertThat(failure(x -> {
        x.robots().update(robot("a", "r1", "deploy"));
        return null;
      })).isInstanceOf(AlreadyExistsException.class);
      assertThat(failure(x -> {
        x.robots().update(robot("b", "r1", "ci"));
        return null;
      })).isInstanceOf(NotFoundException.class);
      assertThat(failure(x -> {
        x.robots().delete("b", "r1");
        return null;
      })).isInstanceOf(NotFoundException.class);
    }

    @Test
    void setGroupsMakesTheRobotAMemberOfExactlyThose() {
      tx((StoreSession x) -> {
        x.robots().create(robot("a", "r1", "ci"));
        x.groups().create(group("a", "g1", "dev"));
        x.groups().create(group("a", "g2", "admins"));
        x.groups().create(group("a", "g3", "ops"));
        x.robots().setGroups("a", "r1", Set.of("g1", "g2"));
        return null;
      });
      assertThat(tx((StoreSession x) -> x.robots().groupNames("a", "r1"))).containsExactly("admins", "dev");
      tx((StoreSession x) -> {
        x.robots().setGroups("a", "r1", Set.of("g3", "g1"));
        return null;
      });
      assertThat(tx((StoreSession x) -> x.robots().groupNames("a", "r1"))).containsExactly("dev", "ops");
      // an unknown group fails and changes nothing
      assertThat(failure(x -> {
        x.robots().setGroups("a", "r1", Set.of("g2", "nope"));
        return null;
      })).isInstanceOf(NotFoundException.class);
      assertThat(failure(x -> {
        x.robots().setGroups("a", "ghost", Set.of("g2"));
        return null;
      })).isInstanceOf(NotFoundException.class);
      assertThat(tx((StoreSession x) -> x.robots().groupNames("a", "r1"))).containsExactly("dev", "ops");
      // robots are not users: the group's member ids are users only
      assertThat(tx((StoreSession x) -> x.groups().memberIds("a", "g1"))).isEmpty();
      tx((StoreSession x) -> {
        x.groups().delete("a", "g3");
        return null;
      });
      assertThat(tx((StoreSession x) -> x.robots().groupNames("a", "r1"))).containsExactly("dev");
      tx((StoreSession x) -> {
        x.robots().setGroups("a", "r1", Set.of());
        return null;
      });
      assertThat(tx((StoreSession x) -> x.robots().groupNames("a", "r1"))).isEmpty();
    }

    @Test
    void deleteRemovesTheRobotItsMembershipsAndItsTokensOnly() {
      tx((StoreSession x) -> {
        x.robots().create(robot("a", "p1", "ci"));
        x.users().create(user("a", "p1", "alice")); // a user with the same id keeps its tokens
        x.groups().create(group("a", "g1", "dev"));
        x.robots().setGroups("a", "p1", Set.of("g1"));
        x.tokens().create(token("a", "t1", PrincipalType.ROBOT, "p1", 0));
        x.tokens().create(token("a", "t2", PrincipalType.ROBOT, "p1", 1));
        x.tokens().create(token("a", "t3", PrincipalType.USER, "p1", 2));
        return null;
      });
      tx((StoreSession x) -> {
        x.robots().delete("a", "p1");
        return null;
      });
      tx((StoreSession x) -> {
        assertThat(x.robots().find("a", "p1")).isEmpty();
        assertThat(x.robots().groupNames("a", "p1")).isEmpty();
        assertThat(x.tokens().find("a", "t1")).isEmpty();
        assertThat(x.tokens().findByHash(sha256("a/t2"))).isEmpty();
        assertThat(x.tokens().find("a", "t3")).isPresent();
        return null;
      });
      // the name is free again
      tx((StoreSession x) -> {
        x.robots().create(robot("a", "p2", "ci"));
        return null;
      });
    }
  }

  @Nested
  class Tokens {
    @BeforeEach
    void tenants() {
      createTenants("a", "b");
    }

    @Test
    void roundTripsEveryField() {
      OpaqueToken full = new OpaqueToken("a", "tok-" + AWKWARD, sha256("full"), TokenKind.ADMIN, PrincipalType.ROBOT,
          "robot-" + AWKWARD, AWKWARD, List.of("prod-eu", AWKWARD, "dev"), T0, T1.plus(Duration.ofDays(90)),
          T1, T1.plusNanos(1_000), "user:" + AWKWARD);
      OpaqueToken bare = new OpaqueToken("a", "t2", new byte[] {0, -1, -128, 127, 0}, TokenKind.KUBERNETES,
          PrincipalType.USER, "u1", null, List.of(), T1, T1.plusSeconds(1), null, null, null);
      create(full, bare);
      assertThat(tx((StoreSession x) -> x.tokens().find("a", full.id()))).contains(full);
      assertThat(tx((StoreSession x) -> x.tokens().findByHash(sha256("full")))).contains(full);
      assertThat(tx((StoreSession x) -> x.tokens().find("a", "t2"))).contains(bare);
      assertThat(tx((StoreSession x) -> x.tokens().findByHash(new byte[] {0, -1, -128, 127, 0}))).contains(bare);
      assertThat(tx((StoreSession x) -> x.tokens().findByHash(new byte[] {0, -1, -128, 127}))).isEmpty();
      assertThat(tx((StoreSession x) -> x.tokens().find("b", "t2"))).isEmpty();
    }

    @Test
    void findByHashSpansTenantsAndFindsRevokedAndExpiredTokens() {
      OpaqueToken inA = userToken("a", "t1", "u1", 0);
      OpaqueToken inB = withTimes(userToken("b", "t1", "u1", 0), T0.plusSeconds(1), T0, null);
      create(inA, inB);
      assertThat(tx((StoreSession x) -> x.tokens().findByHash(sha256("a/t1")))).contains(inA);
      assertThat(tx((StoreSession x) -> x.tokens().findByHash(sha256("b/t1")))).contains(inB);
      assertThat(tx((StoreSession x) -> x.tokens().findByHash(sha256("c/t1")))).isEmpty();
    }

    @Test
    void theHashIsUniqueAcrossTenantsAndTheIdInItsTenant() {
      OpaqueToken t = userToken("a", "t1", "u1", 0);
      create(t);
      OpaqueToken sameHashOtherTenant = new OpaqueToken("b", "t9", t.hash(), TokenKind.KUBERNETES, PrincipalType.USER,
          "u1", null, List.of(), T0, T1, null, null, null);
      assertThat(failure(x -> {
        x.tokens().create(sameHashOtherTenant);
        return null;
      })).isInstanceOf(AlreadyExistsException.class);
      assertThat(failure(x -> {
        x.tokens().create(new OpaqueToken("a", "t1", sha256("other"), TokenKind.KUBERNETES, PrincipalType.USER, "u1",
            null, List.of(), T0, T1, null, null, null));
        return null;
      })).isInstanceOf(AlreadyExistsException.class);
      assertThat(failure(x -> {
        x.tokens().create(userToken("ghost", "t1", "u1", 0));
        return null;
      })).isInstanceOf(NotFoundException.class);
      create(userToken("b", "t1", "u1", 0)); // same id, other tenant, other hash
      assertThat(tx((StoreSession x) -> x.tokens().findByHash(t.hash()))).contains(t);
    }

    @Test
    void listFiltersByKindPrincipalAndActivityNewestFirstInPages() {
      Instant now = T0.plus(Duration.ofDays(10));
      OpaqueToken u1a = userToken("a", "u1a", "u1", 10);
      OpaqueToken u1b = withKind(userToken("a", "u1b", "u1", 20), TokenKind.ADMIN);
      OpaqueToken u1Expired = withTimes(userToken("a", "u1x", "u1", 30), now, null, null); // expires exactly now
      OpaqueToken u1Revoked = withTimes(userToken("a", "u1r", "u1", 40), T1.plus(Duration.ofDays(100)), T0.plusSeconds(50), null);
      OpaqueToken u2 = userToken("a", "u2", "u2", 50);
      OpaqueToken robotU1 = token("a", "ru1", PrincipalType.ROBOT, "u1", 60); // a robot whose id equals a user's
      OpaqueToken sameTimeA = userToken("a", "s-a", "u3", 70);
      OpaqueToken sameTimeB = userToken("a", "s-b", "u3", 70);
      OpaqueToken otherTenant = userToken("b", "u1a", "u1", 80);
      create(u1a, u1b, u1Expired, u1Revoked, u2, robotU1, sameTimeA, sameTimeB, otherTenant);

      assertThat(tx((StoreSession x) -> x.tokens().list("a", null, null, null, true, now, 0, 100)))
          .containsExactly(sameTimeB, sameTimeA, robotU1, u2, u1Revoked, u1Expired, u1b, u1a);
      assertThat(tx((StoreSession x) -> x.tokens().list("a", null, null, null, false, now, 0, 100)))
          .containsExactly(sameTimeB, sameTimeA, robotU1, u2, u1b, u1a);
      assertThat(tx((StoreSession x) -> x.tokens().list("a", TokenKind.ADMIN, null, null, true, now, 0, 100)))
          .containsExactly(u1b);
      assertThat(tx((StoreSession x) -> x.tokens().list("a", null, PrincipalType.USER, "u1", true, now, 0, 100)))
          .containsExactly(u1Revoked, u1Expired, u1b, u1a);
      assertThat(tx((StoreSession x) -> x.tokens().list("a", null, PrincipalType.USER, "u1", false, now, 0, 100)))
          .containsExactly(u1b, u1a);
      assertThat(tx((StoreSession x) -> x.tokens().list("a", TokenKind.KUBERNETES, PrincipalType.USER, "u1", false, now, 0, 100)))
          .containsExactly(u1a);
      assertThat(tx((StoreSession x) -> x.tokens().list("a", null, PrincipalType.ROBOT, "u1", true, now, 0, 100)))
          .containsExactly(robotU1);
      // pages
      assertThat(tx((StoreSession x) -> x.tokens().list("a", null, null, null, true, now, 0, 3)))
          .containsExactly(sameTimeB, sameTimeA, robotU1);
      assertThat(tx((StoreSession x) -> x.tokens().list("a", null, null, null, true, now, 3, 3)))
          .containsExactly(u2, u1Revoked, u1Expired);
      assertThat(tx((StoreSession x) -> x.tokens().list("a", null, null, null, true, now, 6, 3)))
          .containsExactly(u1b, u1a);
      assertThat(tx((StoreSession x) -> x.tokens().list("b", null, null, null, true, now, 0, 100)))
          .containsExactly(otherTenant);
      assertThat(tx((StoreSession x) -> x.tokens().list("ghost", null, null, null, true, now, 0, 100))).isEmpty();
    }

    @Test
    void countCountsWhatListWouldListInAllItsPages() {
      Instant now = T0.plus(Duration.ofDays(10));
      OpaqueToken u1a = userToken("a", "u1a", "u1", 10);
      OpaqueToken u1b = withKind(userToken("a", "u1b", "u1", 20), TokenKind.ADMIN);
      OpaqueToken u1Expired = withTimes(userToken("a", "u1x", "u1", 30), now, null, null);
      OpaqueToken u1Revoked = withTimes(userToken("a", "u1r", "u1", 40), T1.plus(Duration.ofDays(100)), T0.plusSeconds(50), null);
      OpaqueToken u2 = userToken("a", "u2", "u2", 50);
      OpaqueToken robotU1 = token("a", "ru1", PrincipalType.ROBOT, "u1", 60);
      List<OpaqueToken> sameTime = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        sameTime.add(userToken("a", "s-" + i, "u3", 70));
      }
      create(u1a, u1b, u1Expired, u1Revoked, u2, robotU1);
      create(sameTime.toArray(OpaqueToken[]::new));
      create(userToken("b", "u1a", "u1", 80), userToken("b", "u1b", "u1", 90), userToken("b", "x", "u9", 90));

      assertThat(tx((StoreSession x) -> x.tokens().count("a", null, null, null, true, now))).isEqualTo(11);
      assertThat(tx((StoreSession x) -> x.tokens().count("a", null, null, null, false, now))).isEqualTo(9);
      assertThat(tx((StoreSession x) -> x.tokens().count("a", TokenKind.ADMIN, null, null, true, now))).isEqualTo(1);
      assertThat(tx((StoreSession x) -> x.tokens().count("a", null, PrincipalType.USER, "u1", true, now))).isEqualTo(4);
      assertThat(tx((StoreSession x) -> x.tokens().count("a", null, PrincipalType.USER, "u1", false, now))).isEqualTo(2);
      assertThat(tx((StoreSession x) -> x.tokens().count("a", null, PrincipalType.ROBOT, "u1", false, now))).isEqualTo(1);
      assertThat(tx((StoreSession x) -> x.tokens().count("a", null, PrincipalType.USER, "nobody", true, now))).isZero();
      // tenant isolation: b's tokens of a principal with the same id never count in a, nor a's in b
      assertThat(tx((StoreSession x) -> x.tokens().count("b", null, null, null, true, now))).isEqualTo(3);
      assertThat(tx((StoreSession x) -> x.tokens().count("b", null, PrincipalType.USER, "u1", true, now))).isEqualTo(2);
      assertThat(tx((StoreSession x) -> x.tokens().count("ghost", null, null, null, true, now))).isZero();
      assertThat(tx((StoreSession x) -> x.tokens().countActive("a", now))).isEqualTo(9);

      // Pages of a filtered list, read with offset and limit, are disjoint and together what count counts, in
      // order, also across the tokens made in the same instant.
      List<OpaqueToken> paged = new ArrayList<>();
      for (int offset = 0; offset < 12; offset += 2) {
        int from = offset;
        paged.addAll(tx((StoreSession x) -> x.tokens().list("a", null, null, null, false, now, from, 2)));
      }
      List<OpaqueToken> newestSameTimeFirst = new ArrayList<>(sameTime);
      java.util.Collections.reverse(newestSameTimeFirst);
      List<OpaqueToken> expected = new ArrayList<>(newestSameTimeFirst);
      expected.addAll(List.of(robotU1, u2, u1b, u1a));
      assertThat(paged).containsExactlyElementsOf(expected);
      assertThat(tx((StoreSession x) -> x.tokens().list("a", null, PrincipalType.USER, "u1", true, now, 1, 2)))
          .containsExactly(u1Expired, u1b);
      assertThat(tx((StoreSession x) -> x.tokens().list("b", null, PrincipalType.USER, "u1", true, now, 0, 10)))
          .extracting(OpaqueToken::tenantId).containsOnly("b");
    }

    @Test
    void countActiveCountsTokensNeitherRevokedNorExpired() {
      Instant now = T1;
      create(userToken("a", "t1", "u1", 0),
          withTimes(userToken("a", "t2", "u1", 0), now, null, null),
          withTimes(userToken("a", "t3", "u1", 0), now.plusNanos(1_000), null, null),
          withTimes(userToken("a", "t4", "u1", 0), now.plusSeconds(60), T0, null),
          userToken("b", "t1", "u1", 0));
      assertThat(tx((StoreSession x) -> x.tokens().countActive("a", now))).isEqualTo(2);
      assertThat(tx((StoreSession x) -> x.tokens().countActive("a", now.plusSeconds(1)))).isEqualTo(1);
      assertThat(tx((StoreSession x) -> x.tokens().countActive("ghost", now))).isZero();
    }

    @Test
    void revokeIsIdempotentAndKeepsTheFirstRevocationTime() {
      OpaqueToken t = userToken("a", "t1", "u1", 0);
      create(t, userToken("b", "t1", "u1", 0));
      assertThat(tx((StoreSession x) -> x.tokens().revoke("a", "t1", T1))).isTrue();
      assertThat(tx((StoreSession x) -> x.tokens().revoke("a", "t1", T1.plusSeconds(60)))).isFalse();
      assertThat(tx((StoreSession x) -> x.tokens().find("a", "t1"))).contains(withTimes(t, t.expiresAt(), T1, null));
      assertThat(tx((StoreSession x) -> x.tokens().find("b", "t1")).orElseThrow().revokedAt()).isNull();
      assertThat(tx((StoreSession x) -> x.tokens().findByHash(t.hash())).orElseThrow().isActiveAt(T1)).isFalse();
      assertThat(failure(x -> x.tokens().revoke("a", "ghost", T1))).isInstanceOf(NotFoundException.class);
      assertThat(failure(x -> x.tokens().revoke("ghost", "t1", T1))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void revokeAllOfRevokesEveryActiveTokenOfOnePrincipal() {
      Instant at = T1;
      OpaqueToken expired = withTimes(userToken("a", "t3", "u1", 0), T0.plusSeconds(10), null, null);
      OpaqueToken revoked = withTimes(userToken("a", "t4", "u1", 0), T1.plusSeconds(600), T0, null);
      create(userToken("a", "t1", "u1", 0), userToken("a", "t2", "u1", 1), expired, revoked,
          userToken("a", "t5", "u2", 0), token("a", "t6", PrincipalType.ROBOT, "u1", 0), userToken("b", "t1", "u1", 0));
      assertThat(tx((StoreSession x) -> x.tokens().revokeAllOf("a", PrincipalType.USER, "u1", at))).isEqualTo(2);
      tx((StoreSession x) -> {
        assertThat(x.tokens().find("a", "t1").orElseThrow().revokedAt()).isEqualTo(at);
        assertThat(x.tokens().find("a", "t2").orElseThrow().revokedAt()).isEqualTo(at);
        assertThat(x.tokens().find("a", "t3")).contains(expired);
        assertThat(x.tokens().find("a", "t4")).contains(revoked);
        assertThat(x.tokens().find("a", "t5").orElseThrow().revokedAt()).isNull();
        assertThat(x.tokens().find("a", "t6").orElseThrow().revokedAt()).isNull();
        assertThat(x.tokens().find("b", "t1").orElseThrow().revokedAt()).isNull();
        return null;
      });
      assertThat(tx((StoreSession x) -> x.tokens().revokeAllOf("a", PrincipalType.USER, "u1", at))).isZero();
    }

    @Test
    void recordLastUsedNeverMovesBackAndIgnoresUnknownIds() {
      create(userToken("a", "t1", "u1", 0), userToken("a", "t2", "u1", 0), userToken("a", "t3", "u1", 0),
          userToken("b", "t1", "u1", 0));
      Instant first = T1.plusNanos(123_456_789);
      tx((StoreSession x) -> {
        x.tokens().recordLastUsed("a", Map.of("t1", first, "t2", T1, "ghost", T1));
        return null;
      });
      tx((StoreSession x) -> {
        x.tokens().recordLastUsed("a", Map.of("t1", T1, "t2", T1.plusSeconds(5)));
        x.tokens().recordLastUsed("a", Map.of());
        return null;
      });
      tx((StoreSession x) -> {
        assertThat(x.tokens().find("a", "t1").orElseThrow().lastUsedAt()).isEqualTo(first.truncatedTo(ChronoUnit.MICROS));
        assertThat(x.tokens().find("a", "t2").orElseThrow().lastUsedAt()).isEqualTo(T1.plusSeconds(5));
        assertThat(x.tokens().find("a", "t3").orElseThrow().lastUsedAt()).isNull();
        assertThat(x.tokens().find("b", "t1").orElseThrow().lastUsedAt()).isNull();
        assertThat(x.tokens().find("a", "ghost")).isEmpty();
        return null;
      });
    }

    @Test
    void deleteInactiveBeforeDeletesTokensExpiredOrRevokedBeforeTheCutOff() {
      Instant cut = T1;
      create(withTimes(userToken("a", "expired", "u1", 0), cut.minusSeconds(1), null, null),
          withTimes(userToken("a", "expiresAtCut", "u1", 0), cut, null, null),
          withTimes(userToken("a", "revoked", "u1", 0), cut.plusSeconds(3600), cut.minusSeconds(1), null),
          withTimes(userToken("a", "revokedLater", "u1", 0), cut.plusSeconds(3600), cut.plusSeconds(1), null),
          userToken("a", "active", "u1", 0),
          withTimes(userToken("b", "expired", "u1", 0), cut.minusSeconds(1), null, null));
      assertThat(tx((StoreSession x) -> x.tokens().deleteInactiveBefore(cut))).isEqualTo(3);
      assertThat(tx((StoreSession x) -> x.tokens().list("a", null, null, null, true, T0, 0, 100)))
          .extracting(OpaqueToken::id).containsExactlyInAnyOrder("expiresAtCut", "revokedLater", "active");
      assertThat(tx((StoreSession x) -> x.tokens().find("b", "expired"))).isEmpty();
      assertThat(tx((StoreSession x) -> x.tokens().deleteInactiveBefore(cut))).isZero();
    }

    @Test
    void deletingAUserDeletesItsTokensInTheSameTransaction() {
      tx((StoreSession x) -> {
        x.users().create(user("a", "u1", "alice"));
        x.users().create(user("b", "u1", "alice"));
        x.tokens().create(userToken("a", "t1", "u1", 0));
        x.tokens().create(userToken("a", "t2", "u1", 1));
        x.tokens().create(token("a", "t3", PrincipalType.ROBOT, "u1", 2));
        x.tokens().create(userToken("b", "t1", "u1", 0));
        return null;
      });
      // a rolled-back delete deletes nothing
      assertThat(failure(x -> {
        x.users().delete("a", "u1");
        throw new IllegalStateException("changed my mind");
      })).isInstanceOf(IllegalStateException.class);
      assertThat(tx((StoreSession x) -> x.tokens().find("a", "t1"))).isPresent();
      tx((StoreSession x) -> {
        x.users().delete("a", "u1");
        return null;
      });
      tx((StoreSession x) -> {
        assertThat(x.tokens().find("a", "t1")).isEmpty();
        assertThat(x.tokens().findByHash(sha256("a/t2"))).isEmpty();
        assertThat(x.tokens().find("a", "t3")).isPresent();
        assertThat(x.tokens().find("b", "t1")).isPresent();
        return null;
      });
    }
  }

  // ---- refresh families, refresh tokens, access tokens, client robots

  static RefreshFamily family(String tenantId, String id, String clientId, String userId, String sessionId) {
    return new RefreshFamily(tenantId, id, clientId, userId, Set.of("openid", "offline_access", "groups"), sessionId,
        T0, T0, T1.plus(Duration.ofDays(30)), null, null);
  }

  static RefreshToken refresh(RefreshFamily f, String id, Instant createdAt) {
    return new RefreshToken(f.tenantId(), id, sha256(f.tenantId() + "/refresh/" + id), f.id(), createdAt,
        createdAt.plus(Duration.ofDays(1)), null);
  }

  @Nested
  class OAuthTokens {
    @BeforeEach
    void data() {
      createTenants("a", "b");
      tx((StoreSession x) -> {
        for (String t : List.of("a", "b")) {
          x.users().create(user(t, "u1", "alice"));
          x.users().create(user(t, "u2", "bob"));
          x.clients().create(client(t, "cli"));
          x.clients().create(client(t, "other"));
          x.robots().create(robot(t, "r1", "ci"));
        }
        return null;
      });
    }

    void createFamily(RefreshFamily f, RefreshToken first) {
      tx((StoreSession x) -> {
        x.refreshTokens().createFamily(f, first);
        return null;
      });
    }

    @Test
    void aFamilyAndItsFirstTokenRoundTripEveryFieldAndAreFoundByHashInTheirTenantOnly() {
      RefreshFamily full = new RefreshFamily("a", "f-" + AWKWARD, "cli", "u1", Set.of("openid", AWKWARD.replace(" ", "")),
          "session-" + AWKWARD, T0, T0.plusNanos(1_000), T1, null, null);
      RefreshToken first = refresh(full, "t1", T0);
      RefreshFamily bare = new RefreshFamily("a", "f2", "cli", "u1", Set.of(), null, T0, T0, T1, null, null);
      createFamily(full, first);
      createFamily(bare, refresh(bare, "t2", T0));
      assertThat(tx((StoreSession x) -> x.refreshTokens().lockByHash("a", first.hash())))
          .contains(new RefreshToken.WithFamily(first, full));
      assertThat(tx((StoreSession x) -> x.refreshTokens().findFamily("a", "f2"))).contains(bare);
      assertThat(tx((StoreSession x) -> x.refreshTokens().lockByHash("b", first.hash()))).isEmpty();
      assertThat(tx((StoreSession x) -> x.refreshTokens().findFamily("b", full.id()))).isEmpty();
      assertThat(tx((StoreSession x) -> x.refreshTokens().lockByHash("a", sha256("nothing")))).isEmpty();
    }

    @Test
    void aFamilyNamingAnUnknownClientUserOrTenantFailsWithNotFoundAndATakenHashWithAlreadyExists() {
      for (RefreshFamily bad : List.of(family("a", "f", "ghost", "u1", null), family("a", "f", "cli", "ghost", null),
          family("ghost", "f", "cli", "u1", null))) {
        assertThat(failure(x -> {
          x.refreshTokens().createFamily(bad, refresh(bad, "t", T0));
          return null;
        })).as(bad.toString()).isInstanceOf(NotFoundException.class);
      }
      RefreshFamily f = family("a", "f1", "cli", "u1", null);
      createFamily(f, refresh(f, "t1", T0));
      RefreshFamily g = family("b", "f1", "cli", "u1", null);
      RefreshToken sameHash = new RefreshToken("b", "t1", refresh(f, "t1", T0).hash(), "f1", T0, T1, null);
      assertThat(failure(x -> {
        x.refreshTokens().createFamily(g, sameHash);
        return null;
      })).isInstanceOf(AlreadyExistsException.class);
      assertThat(tx((StoreSession x) -> x.refreshTokens().findFamily("b", "f1"))).isEmpty();
    }

    @Test
    void rotationHappensOnceAndStoresTheSuccessorInTheFamily() {
      RefreshFamily f = family("a", "f1", "cli", "u1", null);
      RefreshToken first = refresh(f, "t1", T0);
      createFamily(f, first);
      RefreshToken second = refresh(f, "t2", T0.plusSeconds(60));
      assertThat(tx((StoreSession x) -> x.refreshTokens().rotate("a", "t1", T0.plusSeconds(60), second))).isTrue();
      assertThat(tx((StoreSession x) -> x.refreshTokens().rotate("a", "t1", T0.plusSeconds(61),
          refresh(f, "t3", T0.plusSeconds(61))))).isFalse();
      assertThat(tx((StoreSession x) -> x.refreshTokens().rotate("b", "t2", T0.plusSeconds(61),
          refresh(f, "t4", T0.plusSeconds(61))))).as("other tenant").isFalse();
      assertThat(tx((StoreSession x) -> x.refreshTokens().tokensOfFamily("a", "f1"))).containsExactly(
          new RefreshToken("a", "t1", first.hash(), "f1", T0, first.expiresAt(), T0.plusSeconds(60)), second);
      assertThat(tx((StoreSession x) -> x.refreshTokens().lockByHash("a", second.hash())))
          .map(RefreshToken.WithFamily::token).contains(second);
    }

    /** Two devices racing with one token, or a thief and its owner: exactly one may get a successor. */
    @Test
    void concurrentUsesOfOneTokenRunOneAfterTheOtherAndExactlyOneRotates() {
      RefreshFamily f = family("a", "f1", "cli", "u1", null);
      RefreshToken first = refresh(f, "t1", T0);
      createFamily(f, first);
      int n = 8;
      List<Future<String>> uses = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        RefreshToken successor = refresh(f, "next" + i, T0.plusSeconds(1));
        uses.add(s.transaction(x -> {
          RefreshToken.WithFamily found = x.refreshTokens().lockByHash("a", first.hash()).orElseThrow();
          boolean seenUnrotated = found.token().rotatedAt() == null;
          boolean rotated = x.refreshTokens().rotate("a", "t1", T0.plusSeconds(1), successor);
          // Holding the lock a moment lets the others pile up behind it.
          Thread.sleep(20);
          return seenUnrotated + "/" + rotated;
        }));
      }
      List<String> outcomes = await(Future.all(uses)).list();
      // The winner saw the token unrotated and rotated it; every other use waited and saw the rotation.
      assertThat(outcomes).containsOnlyOnce("true/true");
      assertThat(outcomes.stream().filter("false/false"::equals).count()).isEqualTo(n - 1);
      assertThat(tx((StoreSession x) -> x.refreshTokens().tokensOfFamily("a", "f1"))).hasSize(2);
    }

    @Test
    void revokingAFamilyIsIdempotentAndKeepsTheFirstReason() {
      RefreshFamily f = family("a", "f1", "cli", "u1", "s1");
      createFamily(f, refresh(f, "t1", T0));
      RefreshFamily g = family("a", "f2", "cli", "u1", "s2");
      createFamily(g, refresh(g, "t2", T0));
      assertThat(tx((StoreSession x) -> x.refreshTokens().liveFamiliesOfUser("a", "u1", T0)))
          .extracting(RefreshFamily::id).containsExactlyInAnyOrder("f1", "f2");
      assertThat(tx((StoreSession x) -> x.refreshTokens().revokeFamily("a", "f1", T1, "replay"))).isTrue();
      assertThat(tx((StoreSession x) -> x.refreshTokens().revokeFamily("a", "f1", T1.plusSeconds(5), "revoked")))
          .isFalse();
      assertThat(tx((StoreSession x) -> x.refreshTokens().revokeFamily("b", "f2", T1, "revoked"))).isFalse();
      RefreshFamily revoked = tx((StoreSession x) -> x.refreshTokens().findFamily("a", "f1")).orElseThrow();
      assertThat(revoked.revokedAt()).isEqualTo(T1);
      assertThat(revoked.revokeReason()).isEqualTo("replay");
      assertThat(revoked.isLiveAt(T0)).isFalse();
      assertThat(tx((StoreSession x) -> x.refreshTokens().liveFamiliesOfUser("a", "u1", T0)))
          .extracting(RefreshFamily::id).containsExactly("f2");
      assertThat(tx((StoreSession x) -> x.refreshTokens().revokeFamiliesOfSession("a", "s2", T1, "logout")))
          .isEqualTo(1);
      assertThat(tx((StoreSession x) -> x.refreshTokens().liveFamiliesOfUser("a", "u1", T0))).isEmpty();
      // Expired families are not live either.
      RefreshFamily old = family("a", "f3", "cli", "u1", null);
      createFamily(old, refresh(old, "t3", T0));
      assertThat(tx((StoreSession x) -> x.refreshTokens().liveFamiliesOfUser("a", "u1", old.expiresAt()))).isEmpty();
    }

    @Test
    void revokedAccessTokensAreRecordedOnceAndSeenInTheirTenantOnly() {
      String id = "a-" + AWKWARD;
      assertThat(tx((StoreSession x) -> x.revokedAccessTokens().contains("a", id))).isFalse();
      assertThat(tx((StoreSession x) -> x.revokedAccessTokens().add("a", id, T1, T0))).isTrue();
      assertThat(tx((StoreSession x) -> x.revokedAccessTokens().add("a", id, T1, T0.plusSeconds(1)))).isFalse();
      assertThat(tx((StoreSession x) -> x.revokedAccessTokens().contains("a", id))).isTrue();
      assertThat(tx((StoreSession x) -> x.revokedAccessTokens().contains("b", id))).isFalse();
      // The same id in another tenant is another token.
      assertThat(tx((StoreSession x) -> x.revokedAccessTokens().add("b", id, T1, T0))).isTrue();
      assertThat(failure(x -> x.revokedAccessTokens().add("ghost-tenant", "x", T1, T0)))
          .isInstanceOf(NotFoundException.class);
      tx((StoreSession x) -> {
        x.tenants().delete("b");
        return null;
      });
      assertThat(tx((StoreSession x) -> x.revokedAccessTokens().contains("b", id))).isFalse();
      assertThat(tx((StoreSession x) -> x.revokedAccessTokens().contains("a", id))).isTrue();
    }

    @Test
    void deletingAUserClientRobotOrTenantDeletesTheirFamiliesTokensAndLinks() {
      RefreshFamily f = family("a", "f1", "cli", "u1", null);
      RefreshFamily g = family("a", "f2", "other", "u2", null);
      createFamily(f, refresh(f, "t1", T0));
      createFamily(g, refresh(g, "t2", T0));
      tx((StoreSession x) -> {
        x.clients().setRobot("a", "other", "r1");
        return null;
      });
      tx((StoreSession x) -> {
        x.users().delete("a", "u1");
        return null;
      });
      assertThat(tx((StoreSession x) -> x.refreshTokens().findFamily("a", "f1"))).isEmpty();
      assertThat(tx((StoreSession x) -> x.refreshTokens().lockByHash("a", sha256("a/refresh/t1")))).isEmpty();
      assertThat(tx((StoreSession x) -> x.refreshTokens().findFamily("a", "f2"))).isPresent();
      tx((StoreSession x) -> {
        x.robots().delete("a", "r1");
        return null;
      });
      assertThat(tx((StoreSession x) -> x.clients().robotOf("a", "other"))).isEmpty();
      tx((StoreSession x) -> {
        x.clients().delete("a", "other");
        return null;
      });
      assertThat(tx((StoreSession x) -> x.refreshTokens().findFamily("a", "f2"))).isEmpty();
      assertThat(tx((StoreSession x) -> x.refreshTokens().findFamily("b", "f1"))).isEmpty();
    }

    @Test
    void aClientIsLinkedToAtMostOneRobotOfItsTenant() {
      tx((StoreSession x) -> {
        x.robots().create(robot("a", "r2", "deploy"));
        x.clients().setRobot("a", "cli", "r1");
        return null;
      });
      assertThat(tx((StoreSession x) -> x.clients().robotOf("a", "cli"))).contains("r1");
      assertThat(tx((StoreSession x) -> x.clients().robotOf("b", "cli"))).isEmpty();
      tx((StoreSession x) -> {
        x.clients().setRobot("a", "cli", "r2");
        x.clients().setRobot("a", "other", "r2");
        return null;
      });
      assertThat(tx((StoreSession x) -> x.clients().robotOf("a", "cli"))).contains("r2");
      assertThat(tx((StoreSession x) -> x.clients().robotOf("a", "other"))).contains("r2");
      tx((StoreSession x) -> {
        x.clients().setRobot("a", "cli", null);
        return null;
      });
      assertThat(tx((StoreSession x) -> x.clients().robotOf("a", "cli"))).isEmpty();
      assertThat(failure(x -> {
        x.clients().setRobot("a", "cli", "ghost");
        return null;
      })).isInstanceOf(NotFoundException.class);
      assertThat(failure(x -> {
        x.clients().setRobot("a", "ghost", "r1");
        return null;
      })).isInstanceOf(NotFoundException.class);
      assertThat(failure(x -> {
        x.clients().setRobot("b", "cli", "r2"); // r2 exists only in tenant a
        return null;
      })).isInstanceOf(NotFoundException.class);
    }

    @Test
    void deleteInactiveBeforeDeletesFamiliesAndRevocationsThatEndedBeforeTheCutOff() {
      RefreshFamily live = family("a", "live", "cli", "u1", null);
      RefreshFamily revoked = new RefreshFamily("a", "revoked", "cli", "u1", Set.of(), null, T0, T0, T1.plusSeconds(999),
          T0.plusSeconds(1), "revoked");
      RefreshFamily expired = new RefreshFamily("a", "expired", "cli", "u1", Set.of(), null, T0, T0, T0.plusSeconds(2),
          null, null);
      createFamily(live, refresh(live, "t1", T0));
      createFamily(revoked, refresh(revoked, "t2", T0));
      createFamily(expired, refresh(expired, "t3", T0));
      tx((StoreSession x) -> {
        x.revokedAccessTokens().add("a", "fresh", T0.plus(Duration.ofMinutes(10)), T0);
        x.revokedAccessTokens().add("a", "old", T0.plusSeconds(1), T0);
        return null;
      });
      Instant cutOff = T0.plusSeconds(3);
      assertThat(tx((StoreSession x) -> x.refreshTokens().deleteInactiveBefore(cutOff))).isEqualTo(2);
      assertThat(tx((StoreSession x) -> x.revokedAccessTokens().deleteExpiredBefore(cutOff))).isEqualTo(1);
      assertThat(tx((StoreSession x) -> x.refreshTokens().findFamily("a", "live"))).isPresent();
      assertThat(tx((StoreSession x) -> x.refreshTokens().lockByHash("a", sha256("a/refresh/t2")))).isEmpty();
      assertThat(tx((StoreSession x) -> x.revokedAccessTokens().contains("a", "fresh"))).isTrue();
      assertThat(tx((StoreSession x) -> x.revokedAccessTokens().contains("a", "old"))).isFalse();
    }
  }

  @Nested
  class Clusters {
    @BeforeEach
    void tenants() {
      createTenants("a", "b");
    }

    @Test
    void roundTripsEveryFieldAndFindsByCredentialInItsTenantOnly() {
      Cluster full = new Cluster("a", "prod-" + AWKWARD, AWKWARD, sha256("cred"), "CN=" + AWKWARD, T0, AWKWARD);
      Cluster certOnly = new Cluster("a", "dev", null, null, null, T1, "u-dev");
      Cluster other = new Cluster("b", "prod", null, sha256("cred-b"), null, T1, "u-prod");
      tx((StoreSession x) -> {
        x.clusters().create(full);
        x.clusters().create(certOnly);
        x.clusters().create(other);
        return null;
      });
      assertThat(tx((StoreSession x) -> x.clusters().find("a", full.id()))).contains(full);
      assertThat(tx((StoreSession x) -> x.clusters().find("a", "dev"))).contains(certOnly);
      assertThat(tx((StoreSession x) -> x.clusters().findByCredentialHash("a", sha256("cred")))).contains(full);
      assertThat(tx((StoreSession x) -> x.clusters().findByCredentialHash("b", sha256("cred")))).isEmpty();
      assertThat(tx((StoreSession x) -> x.clusters().findByCredentialHash("a", sha256("cred-b")))).isEmpty();
      assertThat(tx((StoreSession x) -> x.clusters().findByCredentialHash("b", sha256("cred-b")))).contains(other);
      assertThat(tx((StoreSession x) -> x.clusters().list("a"))).containsExactly(certOnly, full);
    }

    @Test
    void updateReplacesDescriptionCredentialAndSubject() {
      tx((StoreSession x) -> {
        x.clusters().create(new Cluster("a", "prod", "old", sha256("old"), null, T0, "first"));
        return null;
      });
      tx((StoreSession x) -> {
        x.clusters().update(new Cluster("a", "prod", "new", sha256("new"), "CN=prod", T1, "not stored"));
        return null;
      });
      assertThat(tx((StoreSession x) -> x.clusters().find("a", "prod")))
          .contains(new Cluster("a", "prod", "new", sha256("new"), "CN=prod", T0, "first"));
      assertThat(tx((StoreSession x) -> x.clusters().findByCredentialHash("a", sha256("old")))).isEmpty();
      assertThat(tx((StoreSession x) -> x.clusters().findByCredentialHash("a", sha256("new")))).isPresent();
    }

    @Test
    void createTwiceUpdateOrDeleteMissing() {
      tx((StoreSession x) -> {
        x.clusters().create(new Cluster("a", "prod", null, null, null, T0, "u1"));
        return null;
      });
      assertThat(failure(x -> {
        x.clusters().create(new Cluster("a", "prod", "again", null, null, T0, "u2"));
        return null;
      })).isInstanceOf(AlreadyExistsException.class);
      assertThat(failure(x -> {
        x.clusters().create(new Cluster("ghost", "prod", null, null, null, T0, "u3"));
        return null;
      })).isInstanceOf(NotFoundException.class);
      assertThat(failure(x -> {
        x.clusters().update(new Cluster("b", "prod", null, null, null, T0, "u4"));
        return null;
      })).isInstanceOf(NotFoundException.class);
      assertThat(failure(x -> {
        x.clusters().delete("b", "prod");
        return null;
      })).isInstanceOf(NotFoundException.class);
      tx((StoreSession x) -> {
        x.clusters().delete("a", "prod");
        return null;
      });
      assertThat(tx((StoreSession x) -> x.clusters().list("a"))).isEmpty();
    }

    /** The uid tells a cluster deleted and registered again under its name from the one before (V9). */
    @Test
    void aClusterRegisteredAgainHasItsNewUid() {
      tx((StoreSession x) -> {
        x.clusters().create(new Cluster("a", "prod", null, sha256("old"), "CN=old", T0, "first"));
        return null;
      });
      tx((StoreSession x) -> {
        x.clusters().delete("a", "prod");
        x.clusters().create(new Cluster("a", "prod", null, sha256("new"), null, T0, "second"));
        return null;
      });
      assertThat(tx((StoreSession x) -> x.clusters().find("a", "prod"))).map(Cluster::uid).contains("second");
      assertThat(tx((StoreSession x) -> x.clusters().findByCredentialHash("a", sha256("new")))).map(Cluster::uid)
          .contains("second");
      assertThat(tx((StoreSession x) -> x.clusters().list("a"))).extracting(Cluster::uid).containsExactly("second");
    }
  }

  @Nested
  class DeviceAuthorizations {
    @BeforeEach
    void tenantsClientsAndUsers() {
      createTenants("a", "b");
      tx((StoreSession x) -> {
        for (String t : List.of("a", "b")) {
          x.clients().create(client(t, "cli"));
          x.users().create(user(t, "u1", "alice"));
        }
        return null;
      });
    }

    /** A pending authorization of client cli, created at T0 + offset, living ten minutes. */
    DeviceAuthorization pending(String tenantId, String id, String userCode, long createdOffset) {
      Instant created = T0.plusSeconds(createdOffset);
      return DeviceAuthorization.pending(tenantId, id, sha256(tenantId + "/" + id), userCode, "cli",
          List.of("openid", "groups"), created, created.plusSeconds(600), 5);
    }

    void create(DeviceAuthorization... all) {
      tx((StoreSession x) -> {
        for (DeviceAuthorization d : all) {
          x.deviceAuthorizations().create(d);
        }
        return null;
      });
    }

    Optional<DeviceAuthorization> find(String tenantId, String id) {
      return tx((StoreSession x) -> x.deviceAuthorizations().find(tenantId, id));
    }

    @Test
    void roundTripsEveryFieldAndFindsByEitherCodeInItsTenantOnly() {
      DeviceAuthorization bare = pending("a", "d1", "BCDFGHJK", 0);
      DeviceAuthorization full = new DeviceAuthorization("a", "d-" + AWKWARD, new byte[] {0, -1, -128, 127, 0},
          "LMNPQRST", "cli", List.of("openid", AWKWARD, "email"), T0, T1, 17, T0.plusNanos(1_000),
          DeviceAuthorizationStatus.APPROVED, "u1", T0.minusSeconds(30), "session-" + AWKWARD, T0.plusSeconds(3));
      create(bare, full);
      assertThat(find("a", "d1")).contains(bare);
      assertThat(find("a", full.id())).contains(full);
      assertThat(tx((StoreSession x) -> x.deviceAuthorizations().findByDeviceCodeHash("a", sha256("a/d1"))))
          .contains(bare);
      assertThat(tx((StoreSession x) -> x.deviceAuthorizations().lockByDeviceCodeHash("a",
          new byte[] {0, -1, -128, 127, 0}))).contains(full);
      assertThat(tx((StoreSession x) -> x.deviceAuthorizations().findByUserCode("a", "LMNPQRST"))).contains(full);
      assertThat(tx((StoreSession x) -> x.deviceAuthorizations().findByDeviceCodeHash("a",
          new byte[] {0, -1, -128, 127}))).isEmpty();
      // Tenant isolation: neither code nor id finds anything from another tenant.
      assertThat(find("b", "d1")).isEmpty();
      assertThat(tx((StoreSession x) -> x.deviceAuthorizations().findByDeviceCodeHash("b", sha256("a/d1")))).isEmpty();
      assertThat(tx((StoreSession x) -> x.deviceAuthorizations().lockByDeviceCodeHash("b", sha256("a/d1")))).isEmpty();
      assertThat(tx((StoreSession x) -> x.deviceAuthorizations().findByUserCode("b", "BCDFGHJK"))).isEmpty();
      assertThat(tx((StoreSession x) -> x.deviceAuthorizations().approve("b", "d1", "u1", T0, "s", T0))).isFalse();
      assertThat(find("a", "d1")).contains(bare);
    }

    @Test
    void aUserCodeIsUniqueInItsTenantUntilItExpires() {
      DeviceAuthorization first = pending("a", "d1", "BCDFGHJK", 0);
      create(first);
      assertThat(failure(x -> {
        x.deviceAuthorizations().create(pending("a", "d2", "BCDFGHJK", 599));
        return null;
      })).isInstanceOf(AlreadyExistsException.class);
      // Another tenant may hold the same user code.
      create(pending("b", "d1", "BCDFGHJK", 1));
      // Once the first has expired, its user code is free again: the expired row gives way.
      DeviceAuthorization second = pending("a", "d2", "BCDFGHJK", 600);
      create(second);
      assertThat(find("a", "d1")).isEmpty();
      assertThat(tx((StoreSession x) -> x.deviceAuthorizations().findByUserCode("a", "BCDFGHJK"))).contains(second);
      assertThat(find("b", "d1")).isPresent();
    }

    @Test
    void aTakenIdOrDeviceCodeOrAnUnknownClientOrTenantIsRefused() {
      create(pending("a", "d1", "BCDFGHJK", 0));
      assertThat(failure(x -> {
        x.deviceAuthorizations().create(pending("a", "d1", "LMNPQRST", 0));
        return null;
      })).isInstanceOf(AlreadyExistsException.class);
      DeviceAuthorization valid = pending("a", "d2", "LMNPQRST", 0);
      assertThat(failure(x -> {
        x.deviceAuthorizations().create(new DeviceAuthorization("a", "d2", sha256("a/d1"), "LMNPQRST", "cli",
            List.of(), T0, T1, 5, null, DeviceAuthorizationStatus.PENDING, null, null, null, null));
        return null;
      })).isInstanceOf(AlreadyExistsException.class);
      assertThat(failure(x -> {
        x.deviceAuthorizations().create(new DeviceAuthorization("a", "d3", sha256("x"), "VWXZBCDF", "ghost",
            List.of(), T0, T1, 5, null, DeviceAuthorizationStatus.PENDING, null, null, null, null));
        return null;
      })).isInstanceOf(NotFoundException.class);
      assertThat(failure(x -> {
        x.deviceAuthorizations().create(pending("ghost", "d1", "BCDFGHJK", 0));
        return null;
      })).isInstanceOf(NotFoundException.class);
      create(valid);
      assertThat(find("a", "d2")).contains(valid);
    }

    @Test
    void pollsAreRecordedOnlyWhilePending() {
      create(pending("a", "d1", "BCDFGHJK", 0));
      assertThat(tx((StoreSession x) -> x.deviceAuthorizations().recordPoll("a", "d1", T0.plusSeconds(7), 10))).isTrue();
      assertThat(find("a", "d1")).get().satisfies(d -> {
        assertThat(d.lastPolledAt()).isEqualTo(T0.plusSeconds(7));
        assertThat(d.intervalSeconds()).isEqualTo(10);
      });
      assertThat(tx((StoreSession x) -> x.deviceAuthorizations().deny("a", "d1", "u1", T0, "s1", T0.plusSeconds(8))))
          .isTrue();
      assertThat(tx((StoreSession x) -> x.deviceAuthorizations().recordPoll("a", "d1", T0.plusSeconds(20), 15)))
          .isFalse();
      assertThat(tx((StoreSession x) -> x.deviceAuthorizations().recordPoll("a", "ghost", T0, 5))).isFalse();
      assertThat(find("a", "d1").orElseThrow().intervalSeconds()).isEqualTo(10);
    }

    @Test
    void approveAndDenyDecideOnlyAPendingUnexpiredAuthorizationAndRecordWhoAndWhen() {
      create(pending("a", "d1", "BCDFGHJK", 0), pending("a", "d2", "LMNPQRST", 0), pending("a", "d3", "VWXZBCDF", 0));
      Instant at = T0.plusSeconds(60);
      Instant expiry = T0.plusSeconds(600);
      assertThat(tx((StoreSession x) -> x.deviceAuthorizations().approve("a", "d1", "u1", T0.minusSeconds(5),
          "s1", at))).isTrue();
      assertThat(find("a", "d1")).get().satisfies(d -> {
        assertThat(d.status()).isEqualTo(DeviceAuthorizationStatus.APPROVED);
        assertThat(d.userId()).isEqualTo("u1");
        assertThat(d.authTime()).isEqualTo(T0.minusSeconds(5));
        assertThat(d.sessionId()).isEqualTo("s1");
        assertThat(d.decidedAt()).isEqualTo(at);
      });
      // A decision is final.
      assertThat(tx((StoreSession x) -> x.deviceAuthorizations().deny("a", "d1", "u1", T0, "s1", at))).isFalse();
      assertThat(tx((StoreSession x) -> x.deviceAuthorizations().approve("a", "d1", "u1", T0, "s2", at))).isFalse();
      assertThat(find("a", "d1").orElseThrow().sessionId()).isEqualTo("s1");
      assertThat(tx((StoreSession x) -> x.deviceAuthorizations().deny("a", "d2", "u1", T0, "s1", at))).isTrue();
      assertThat(find("a", "d2").orElseThrow().status()).isEqualTo(DeviceAuthorizationStatus.DENIED);
      assertThat(tx((StoreSession x) -> x.deviceAuthorizations().approve("a", "d2", "u1", T0, "s1", at))).isFalse();
      // Expired at its expiry instant: too late for either decision.
      assertThat(tx((StoreSession x) -> x.deviceAuthorizations().approve("a", "d3", "u1", T0, "s1", expiry)))
          .isFalse();
      assertThat(tx((StoreSession x) -> x.deviceAuthorizations().deny("a", "d3", "u1", T0, "s1", expiry))).isFalse();
      assertThat(find("a", "d3").orElseThrow().status()).isEqualTo(DeviceAuthorizationStatus.PENDING);
      // A user of another tenant cannot be recorded.
      assertThat(failure(x -> x.deviceAuthorizations().approve("a", "d3", "ghost", T0, "s1", at)))
          .isInstanceOf(NotFoundException.class);
    }

    @Test
    void onlyAnApprovedUnexpiredAuthorizationIsConsumedAndOnlyOnce() {
      create(pending("a", "d1", "BCDFGHJK", 0), pending("a", "d2", "LMNPQRST", 0));
      Instant at = T0.plusSeconds(60);
      assertThat(tx((StoreSession x) -> x.deviceAuthorizations().consume("a", "d1", at))).isFalse();
      tx((StoreSession x) -> x.deviceAuthorizations().approve("a", "d1", "u1", T0, "s1", at));
      tx((StoreSession x) -> x.deviceAuthorizations().approve("a", "d2", "u1", T0, "s1", at));
      assertThat(tx((StoreSession x) -> x.deviceAuthorizations().consume("b", "d1", at))).isFalse();
      assertThat(tx((StoreSession x) -> x.deviceAuthorizations().consume("a", "d2", T0.plusSeconds(600)))).isFalse();
      assertThat(tx((StoreSession x) -> x.deviceAuthorizations().consume("a", "d1", at))).isTrue();
      assertThat(tx((StoreSession x) -> x.deviceAuthorizations().consume("a", "d1", at))).isFalse();
      assertThat(find("a", "d1").orElseThrow().status()).isEqualTo(DeviceAuthorizationStatus.CONSUMED);
    }

    @Test
    void concurrentConsumesOfOneApprovedAuthorizationLetExactlyOneWin() {
      create(pending("a", "d1", "BCDFGHJK", 0));
      Instant at = T0.plusSeconds(60);
      tx((StoreSession x) -> x.deviceAuthorizations().approve("a", "d1", "u1", T0, "s1", at));
      List<Future<Boolean>> all = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        all.add(s.transaction(x -> {
          Optional<DeviceAuthorization> locked = x.deviceAuthorizations().lockByDeviceCodeHash("a", sha256("a/d1"));
          return locked.isPresent() && x.deviceAuthorizations().consume("a", "d1", at);
        }));
        // Without the lock too: the conditional update alone must be enough.
        all.add(s.transaction(x -> x.deviceAuthorizations().consume("a", "d1", at)));
      }
      await(Future.all(all));
      assertThat(all.stream().filter(Future::result).count()).isEqualTo(1);
    }

    @Test
    void concurrentPollsOfOneDeviceCodeTakeTurnsUnderTheLock() {
      create(pending("a", "d1", "BCDFGHJK", 0));
      int n = 12;
      List<Future<Void>> all = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        long offset = i;
        all.add(s.transaction(x -> {
          DeviceAuthorization d = x.deviceAuthorizations().lockByDeviceCodeHash("a", sha256("a/d1")).orElseThrow();
          x.deviceAuthorizations().recordPoll("a", "d1", T0.plusSeconds(offset), d.intervalSeconds() + 5);
          return null;
        }));
      }
      await(Future.all(all));
      // Every read-modify-write saw the one before it: no increase was lost.
      assertThat(find("a", "d1").orElseThrow().intervalSeconds()).isEqualTo(5 + 5 * n);
    }

    @Test
    void expiredAuthorizationsAreDeletedAndSoAreThoseOfADeletedClientOrUser() {
      create(pending("a", "d1", "BCDFGHJK", 0), pending("a", "d2", "LMNPQRST", 100), pending("b", "d1", "BCDFGHJK", 0),
          pending("b", "d2", "LMNPQRST", 0));
      assertThat(tx((StoreSession x) -> x.deviceAuthorizations().deleteExpiredBefore(T0.plusSeconds(650))))
          .isEqualTo(3);
      assertThat(find("a", "d1")).isEmpty();
      assertThat(find("a", "d2")).isPresent();
      tx((StoreSession x) -> x.deviceAuthorizations().approve("a", "d2", "u1", T0, "s1", T0.plusSeconds(101)));
      tx((StoreSession x) -> {
        x.users().delete("a", "u1");
        return null;
      });
      assertThat(find("a", "d2")).isEmpty();
      create(pending("b", "d3", "VWXZBCDF", 700));
      tx((StoreSession x) -> {
        x.clients().delete("b", "cli");
        return null;
      });
      assertThat(find("b", "d3")).isEmpty();
    }
  }

  @Nested
  class Audit {
    static AuditEvent event(String id, long offsetSeconds, String tenantId, String actor, String action) {
      return new AuditEvent(id, T0.plusSeconds(offsetSeconds), tenantId, actor, action, null, "success", null, null);
    }

    @Test
    void roundTripsEveryField() {
      AuditEvent full = new AuditEvent("e1", T0, "a", "user:a/" + AWKWARD, "token.create", "token:a/" + AWKWARD,
          "failure", "2001:db8::1", "{\"reason\":\"" + AWKWARD.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
      AuditEvent bare = new AuditEvent("e2", T1, null, "cli", "server.start", null, "success", null, null);
      tx((StoreSession x) -> {
        x.audit().append(full);
        x.audit().append(bare);
        return null;
      });
      assertThat(tx((StoreSession x) -> x.audit().query(AuditQuery.all(), 0, 10))).containsExactly(bare, full);
      assertThat(failure(x -> {
        x.audit().append(bare);
        return null;
      })).isInstanceOf(AlreadyExistsException.class);
    }

    @Test
    void queryFiltersByTenantActorActionAndTimeNewestFirstInPages() {
      List<AuditEvent> events = List.of(
          event("e1", 1, "a", "user:a/alice", "token.create"),
          event("e2", 2, "a", "user:a/alice", "token.revoke"),
          event("e3", 3, "a", "user:a/bob", "tokenx.create"),
          event("e4", 4, "b", "user:a/alice", "token.create"),
          event("e5", 5, null, "cli", "server.start"),
          event("e7", 6, "a", "user:a/alice", "user.update"),
          event("e6", 6, "a", "user:a/alice", "token_create"));
      tx((StoreSession x) -> {
        events.forEach(x.audit()::append);
        return null;
      });
      assertThat(ids(AuditQuery.all(), 0, 100)).containsExactly("e7", "e6", "e5", "e4", "e3", "e2", "e1");
      assertThat(ids(AuditQuery.all(), 2, 3)).containsExactly("e5", "e4", "e3");
      assertThat(ids(new AuditQuery("a", null, null, null, null), 0, 100)).containsExactly("e7", "e6", "e3", "e2", "e1");
      assertThat(ids(new AuditQuery(null, "user:a/alice", null, null, null), 0, 100))
          .containsExactly("e7", "e6", "e4", "e2", "e1");
      // a prefix must end in '.'; '_' and '%' are not wildcards
      assertThat(ids(new AuditQuery(null, null, "token.", null, null), 0, 100)).containsExactly("e4", "e2", "e1");
      assertThat(ids(new AuditQuery(null, null, "token", null, null), 0, 100)).isEmpty();
      assertThat(ids(new AuditQuery(null, null, "token.create", null, null), 0, 100)).containsExactly("e4", "e1");
      assertThat(ids(new AuditQuery(null, null, "token_", null, null), 0, 100)).isEmpty();
      assertThat(ids(new AuditQuery(null, null, "%.", null, null), 0, 100)).isEmpty();
      // from inclusive, to exclusive
      assertThat(ids(new AuditQuery(null, null, null, T0.plusSeconds(2), T0.plusSeconds(5)), 0, 100))
          .containsExactly("e4", "e3", "e2");
      assertThat(ids(new AuditQuery("a", "user:a/alice", "token.", T0.plusSeconds(2), null), 0, 100)).containsExactly("e2");
      assertThat(tx((StoreSession x) -> x.audit().count(AuditQuery.all()))).isEqualTo(7);
      assertThat(tx((StoreSession x) -> x.audit().count(new AuditQuery("a", null, "token.", null, null)))).isEqualTo(2);
      assertThat(tx((StoreSession x) -> x.audit().count(new AuditQuery(null, null, null, T0.plusSeconds(6), null)))).isEqualTo(2);
    }

    @Test
    void eventsOutliveTheirTenant() {
      createTenants("a");
      tx((StoreSession x) -> {
        x.audit().append(event("e1", 1, "a", "cli", "tenant.create"));
        return null;
      });
      tx((StoreSession x) -> {
        x.tenants().delete("a");
        x.audit().append(event("e2", 2, "a", "cli", "tenant.delete"));
        return null;
      });
      assertThat(ids(new AuditQuery("a", null, null, null, null), 0, 10)).containsExactly("e2", "e1");
    }

    @Test
    void deleteBeforeTakesTheOldestInBoundedBatches() {
      tx((StoreSession x) -> {
        for (int i = 1; i <= 7; i++) x.audit().append(event("e" + i, i, i % 2 == 0 ? "a" : null, "cli", "x.y"));
        return null;
      });
      // Before T0+6s: e1..e5, oldest first, at most 3 at a time.
      assertThat(tx((StoreSession x) -> x.audit().deleteBefore(T0.plusSeconds(6), 3))).isEqualTo(3);
      assertThat(ids(AuditQuery.all(), 0, 100)).containsExactly("e7", "e6", "e5", "e4");
      assertThat(tx((StoreSession x) -> x.audit().deleteBefore(T0.plusSeconds(6), 3))).isEqualTo(2);
      assertThat(tx((StoreSession x) -> x.audit().deleteBefore(T0.plusSeconds(6), 3))).isZero();
      assertThat(ids(AuditQuery.all(), 0, 100)).containsExactly("e7", "e6");
    }

    private List<String> ids(AuditQuery q, int offset, int limit) {
      return tx((StoreSession x) -> x.audit().query(q, offset, limit)).stream().map(AuditEvent::id).toList();
    }
  }

  @Nested
  class AdminRoles {
    @BeforeEach
    void data() {
      createTenants("a", "b", "c");
      tx((StoreSession x) -> {
        x.users().create(user("a", "u1", "alice"));
        x.users().create(user("a", "u2", "bob"));
        x.users().create(user("b", "u1", "carol"));
        return null;
      });
    }

    private void grant(AdminRole... roles) {
      tx((StoreSession x) -> {
        for (AdminRole r : roles) {
          x.adminRoles().grant(r);
        }
        return null;
      });
    }

    @Test
    void grantIsIdempotentAndRevokeSaysWhetherTheRoleExisted() {
      AdminRole global = new AdminRole("a", "u1", AdminRole.GLOBAL);
      AdminRole onB = new AdminRole("a", "u1", "b");
      grant(global, onB, global);
      grant(onB);
      assertThat(tx((StoreSession x) -> x.adminRoles().rolesOf("a", "u1"))).containsExactlyInAnyOrder(global, onB);
      assertThat(tx((StoreSession x) -> x.adminRoles().rolesOf("b", "u1"))).isEmpty();
      assertThat(tx((StoreSession x) -> x.adminRoles().revoke(onB))).isTrue();
      assertThat(tx((StoreSession x) -> x.adminRoles().revoke(onB))).isFalse();
      assertThat(tx((StoreSession x) -> x.adminRoles().rolesOf("a", "u1"))).containsExactly(global);
    }

    @Test
    void listIsOrderedByUserTenantUserAndScope() {
      grant(new AdminRole("b", "u1", "a"), new AdminRole("a", "u2", "c"), new AdminRole("a", "u1", "b"),
          new AdminRole("a", "u1", AdminRole.GLOBAL), new AdminRole("a", "u1", "a"));
      assertThat(tx((StoreSession x) -> x.adminRoles().list())).containsExactly(
          new AdminRole("a", "u1", AdminRole.GLOBAL), new AdminRole("a", "u1", "a"), new AdminRole("a", "u1", "b"),
          new AdminRole("a", "u2", "c"), new AdminRole("b", "u1", "a"));
    }

    @Test
    void grantingToAnUnknownUserOrOnAnUnknownTenantFailsWithNotFound() {
      assertThat(failure(x -> {
        x.adminRoles().grant(new AdminRole("a", "ghost", AdminRole.GLOBAL));
        return null;
      })).isInstanceOf(NotFoundException.class);
      assertThat(failure(x -> {
        x.adminRoles().grant(new AdminRole("c", "u1", AdminRole.GLOBAL)); // u1 exists in a and b, not c
        return null;
      })).isInstanceOf(NotFoundException.class);
      assertThat(failure(x -> {
        x.adminRoles().grant(new AdminRole("a", "u1", "ghost"));
        return null;
      })).isInstanceOf(NotFoundException.class);
      assertThat(tx((StoreSession x) -> x.adminRoles().list())).isEmpty();
    }

    @Test
    void rolesGoWithTheUserAndWithTheTenantTheyAreScopedTo() {
      grant(new AdminRole("a", "u1", AdminRole.GLOBAL), new AdminRole("a", "u1", "c"), new AdminRole("a", "u2", "c"),
          new AdminRole("a", "u2", "b"), new AdminRole("b", "u1", "c"), new AdminRole("b", "u1", "a"));
      tx((StoreSession x) -> {
        x.users().delete("a", "u2");
        return null;
      });
      assertThat(tx((StoreSession x) -> x.adminRoles().rolesOf("a", "u2"))).isEmpty();
      tx((StoreSession x) -> {
        x.tenants().delete("c");
        return null;
      });
      assertThat(tx((StoreSession x) -> x.adminRoles().list())).containsExactly(
          new AdminRole("a", "u1", AdminRole.GLOBAL), new AdminRole("b", "u1", "a"));
      tx((StoreSession x) -> {
        x.tenants().delete("b"); // deletes the user b/u1 and with it its role on a
        return null;
      });
      assertThat(tx((StoreSession x) -> x.adminRoles().list())).containsExactly(new AdminRole("a", "u1", AdminRole.GLOBAL));
    }
  }

  @Test
  void deletingATenantDeletesItsRobotsTokensAndClustersButKeepsTheAuditTrail() {
    createTenants("a", "b");
    for (String t : List.of("a", "b")) {
      tx((StoreSession x) -> {
        x.robots().create(robot(t, "r1", "ci"));
        x.groups().create(group(t, "g1", "dev"));
        x.robots().setGroups(t, "r1", Set.of("g1"));
        x.tokens().create(token(t, "t1", PrincipalType.ROBOT, "r1", 0));
        x.clusters().create(new Cluster(t, "prod", null, sha256(t + "cred"), null, T0, t + "-prod"));
        x.audit().append(new AuditEvent(t + "-e1", T0, t, "cli", "robot.create", null, "success", null, null));
        return null;
      });
    }
    tx((StoreSession x) -> {
      x.tenants().delete("a");
      return null;
    });
    tx((StoreSession x) -> {
      assertThat(x.robots().count("a")).isZero();
      assertThat(x.robots().groupNames("a", "r1")).isEmpty();
      assertThat(x.tokens().findByHash(sha256("a/t1"))).isEmpty();
      assertThat(x.tokens().list("a", null, null, null, true, T0, 0, 10)).isEmpty();
      assertThat(x.clusters().list("a")).isEmpty();
      assertThat(x.audit().count(new AuditQuery("a", null, null, null, null))).isEqualTo(1);
      assertThat(x.robots().groupNames("b", "r1")).containsExactly("dev");
      assertThat(x.tokens().findByHash(sha256("b/t1"))).isPresent();
      assertThat(x.clusters().find("b", "prod")).isPresent();
      return null;
    });
    createTenants("a");
    create(token("a", "t1", PrincipalType.ROBOT, "r1", 0));
  }

  // ---- change feed and health

  /** Collects changes; RESYNC and the changes of other tests' topics are kept too. */
  protected static final class Changes {
    final java.util.concurrent.LinkedBlockingQueue<Storage.Change> queue = new java.util.concurrent.LinkedBlockingQueue<>();

    public Changes(Storage storage) {
      storage.onChange(queue::add);
    }

    /** Waits for {@code wanted}; returns every change seen before it. */
    public List<Storage.Change> awaitChange(Storage.Change wanted) {
      List<Storage.Change> before = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        Storage.Change c;
        try {
          c = queue.poll(100, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
        if (wanted.equals(c)) {
          return before;
        }
        if (c != null) {
          before.add(c);
        }
      }
      throw new AssertionError("no change " + wanted + " within 30 s; saw " + before);
    }
  }

  @Nested
  class ChangeFeed {
    @Test
    void aCommittedChangeReachesTheListenersAfterTheCommit() {
      Changes changes = new Changes(s);
      Changes second = new Changes(s);
      tx((StoreSession x) -> {
        x.notifyChange("token", "a/t1");
        x.notifyChange("principal", "a/" + AWKWARD + ":x");
        return null;
      });
      changes.awaitChange(new Storage.Change("token", "a/t1"));
      changes.awaitChange(new Storage.Change("principal", "a/" + AWKWARD + ":x"));
      second.awaitChange(new Storage.Change("principal", "a/" + AWKWARD + ":x"));
    }

    @Test
    void everyChangeToAnExistingClientIsAnnounced() {
      createTenants("a");
      tx((StoreSession x) -> {
        x.clients().create(client("a", "c1"));
        x.robots().create(robot("a", "r1", "ci"));
        return null;
      });
      Changes changes = new Changes(s);
      Storage.Change announced = new Storage.Change(ClientRepository.CHANGE_TOPIC, "a/c1");
      tx((StoreSession x) -> {
        OAuthClient c = x.clients().find("a", "c1").orElseThrow();
        x.clients().update(new OAuthClient(c.tenantId(), c.id(), "renamed", c.secretHash(), c.redirectUris(),
            c.grantTypes(), c.createdAt(), c.uid()));
        return null;
      });
      changes.awaitChange(announced);
      tx((StoreSession x) -> {
        x.clients().setRobot("a", "c1", "r1");
        return null;
      });
      changes.awaitChange(announced);
      tx((StoreSession x) -> {
        x.clients().delete("a", "c1");
        return null;
      });
      changes.awaitChange(announced);
    }

    @Test
    void aRolledBackChangeNeverArrives() throws InterruptedException {
      Changes changes = new Changes(s);
      assertThat(failure(x -> {
        x.notifyChange("token", "rolled-back");
        throw new IllegalStateException("no");
      })).isInstanceOf(IllegalStateException.class);
      createTenants("a");
      assertThat(failure(x -> {
        x.notifyChange("token", "failed-statement");
        x.tenants().create(tenant("a"));
        return null;
      })).isInstanceOf(AlreadyExistsException.class);
      // changes arrive in commit order, so once a later one is here the rolled-back ones would have been too
      tx((StoreSession x) -> {
        x.notifyChange("token", "committed");
        return null;
      });
      List<Storage.Change> before = changes.awaitChange(new Storage.Change("token", "committed"));
      Thread.sleep(200);
      before.addAll(changes.queue);
      assertThat(before).extracting(Storage.Change::payload).doesNotContain("rolled-back", "failed-statement");
    }

    @Test
    void aFailingListenerDoesNotStopTheFeed() {
      s.onChange(c -> {
        throw new IllegalStateException("listener bug");
      });
      Changes changes = new Changes(s);
      for (String payload : List.of("1", "2")) {
        tx((StoreSession x) -> {
          x.notifyChange("keys", payload);
          return null;
        });
        changes.awaitChange(new Storage.Change("keys", payload));
      }
    }

    @Test
    void badTopicsAndOversizedPayloadsAreRefused() {
      assertThat(failure(x -> {
        x.notifyChange("a:b", "x");
        return null;
      })).isInstanceOf(IllegalArgumentException.class);
      assertThat(failure(x -> {
        x.notifyChange("", "x");
        return null;
      })).isInstanceOf(IllegalArgumentException.class);
      assertThat(failure(x -> {
        x.notifyChange("t", "é".repeat(3_501));
        return null;
      })).isInstanceOf(IllegalArgumentException.class);
      Changes changes = new Changes(s);
      String biggest = "x".repeat(7_000);
      tx((StoreSession x) -> {
        x.notifyChange("t", biggest);
        return null;
      });
      changes.awaitChange(new Storage.Change("t", biggest));
    }
  }

  @Test
  void pingAnswersWhileTheDatabaseDoes() {
    Object nothing = await(s.ping());
    assertThat(nothing).isNull();
  }

  /** Login sessions, authorization codes and login-throttle counters ({@link LoginStorageConformance}). */
  @Nested
  class LoginSessionsCodesAndThrottle extends LoginStorageConformance {
    @Override
    StorageConformanceTest suite() {
      return StorageConformanceTest.this;
    }
  }
}
