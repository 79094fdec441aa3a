package dev.lanyard.idp.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.testing.TestLanyard;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.StoreSession;
import dev.lanyard.storage.StoreWork;
import dev.lanyard.storage.TokenRepository;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /tenants/{t}/tokens} reads one page and a count from the database with every filter (principal,
 * inactive tokens), never the tenant's whole list: a tenant may hold a million tokens. The server's storage notes
 * the limit of every token list it is asked for.
 */
class TokenListPagingTest {
  @TempDir
  static Path dir;

  static final List<Integer> listLimits = new CopyOnWriteArrayList<>();
  static TestLanyard lanyard;
  static AdminClient admin;

  @BeforeAll
  static void start() {
    lanyard = TestLanyard.start(dir.resolve("data"), TokenListPagingTest::recordingListLimits);
    admin = AdminClient.login(lanyard, "default", "admin", TestLanyard.ADMIN_PASSWORD);
    admin.created("/tenants/default/users", new JsonObject().put("username", "pager"));
    admin.created("/tenants/default/robots", new JsonObject().put("name", "pager-bot"));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      ids.add(admin.created("/tenants/default/tokens", new JsonObject().put("user", "pager")).getString("id"));
    }
    for (int i = 0; i < 3; i++) {
      admin.expect(204, "DELETE", "/tenants/default/tokens/" + ids.get(i), null);
    }
    admin.created("/tenants/default/tokens", new JsonObject().put("robot", "pager-bot"));
    admin.created("/tenants/default/tokens", new JsonObject().put("robot", "pager-bot"));
  }

  @AfterAll
  static void stop() {
    lanyard.close();
  }

  /** GET of the token list with {@code query}; asserts the server asked storage for exactly this page. */
  private static JsonObject page(String query, int limit) {
    listLimits.clear();
    JsonObject page = admin.ok("/tenants/default/tokens?" + query + "&limit=" + limit);
    assertThat(listLimits).as("limits of the token lists read for ?" + query).containsExactly(limit);
    assertThat(page.getJsonArray("items").size()).isLessThanOrEqualTo(limit);
    return page;
  }

  private static List<String> ids(JsonObject page) {
    return page.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  @Test
  @DisplayName("?includeInactive=true: one page read, the total counts every token of the tenant")
  void inactiveIncluded() {
    List<String> all = ids(admin.ok("/tenants/default/tokens?includeInactive=true&limit=500"));
    JsonObject first = page("includeInactive=true", 1);
    assertThat(first.getLong("total")).isEqualTo(all.size()).isGreaterThanOrEqualTo(9);
    List<String> paged = new ArrayList<>();
    for (int offset = 0; offset < all.size(); offset += 3) {
      paged.addAll(ids(page("includeInactive=true&offset=" + offset, 3)));
    }
    assertThat(paged).isEqualTo(all);
  }

  @Test
  @DisplayName("?user= and ?robot=, with and without inactive tokens: one page read, the filtered total")
  void principalFilters() {
    JsonObject userAll = page("user=pager&includeInactive=true&offset=2", 2);
    assertThat(userAll.getLong("total")).isEqualTo(7);
    assertThat(userAll.getJsonArray("items")).hasSize(2);
    JsonObject userActive = page("user=pager", 2);
    assertThat(userActive.getLong("total")).isEqualTo(4);
    assertThat(userActive.getJsonArray("items").stream().map(o -> ((JsonObject) o).getBoolean("active")))
        .containsOnly(true);
    JsonObject robot = page("robot=pager-bot&includeInactive=true", 1);
    assertThat(robot.getLong("total")).isEqualTo(2);
    assertThat(robot.getJsonArray("items")).hasSize(1);
    assertThat(page("user=pager&includeInactive=true&offset=6", 5).getJsonArray("items")).hasSize(1);
  }

  /** {@code real}, noting the limit of every {@code tokens().list(...)} a transaction makes. */
  private static Storage recordingListLimits(Storage real) {
    return proxy(Storage.class, (method, args) -> {
      if (args != null && args.length == 1 && args[0] instanceof StoreWork<?> work) {
        StoreWork<Object> recorded = session -> work.run(proxy(StoreSession.class, (m, a) ->
            !m.getName().equals("tokens") ? m.invoke(session, a) : proxy(TokenRepository.class, (tm, ta) -> {
              if (tm.getName().equals("list")) listLimits.add((Integer) ta[7]);
              return tm.invoke(session.tokens(), ta);
            })));
        return method.invoke(real, recorded);
      }
      return method.invoke(real, args);
    });
  }

  private interface Call {
    Object invoke(Method method, Object[] args) throws Throwable;
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> type, Call call) {
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> {
      try {
        return call.invoke(m, a);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    });
  }
}
