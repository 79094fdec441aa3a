package dev.lanyard.idp.admin;

import dev.lanyard.storage.Storage;
import dev.lanyard.storage.StoreSession;
import dev.lanyard.storage.model.SigningKey;
import dev.lanyard.storage.model.Tenant;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /overview}: for each tenant the caller manages, counts of users, groups, clients, robots and active
 * tokens and the age of each signing key; and the health of this process (version, uptime, database round trip,
 * memory, the CA certificate clients must trust). Counting is one transaction; the database ping is timed
 * separately, so a slow count cannot hide it.
 */
final class OverviewEndpoint {
  private final Storage storage;
  private final ServerFacts facts;
  private final Clock clock;

  OverviewEndpoint(Storage storage, ServerFacts facts, Clock clock) {
    this.storage = storage;
    this.facts = facts;
    this.clock = clock;
  }

  void mount(Router router) {
    router.get(AdminApi.BASE + "/overview").handler(AdminRequest.handler(200, this::overview));
  }

  private Future<JsonObject> overview(AdminRequest r) {
    AdminPrincipal p = r.principal();
    Instant now = clock.instant();
    Future<JsonArray> tenants = storage.transaction(s -> {
      JsonArray out = new JsonArray();
      for (Tenant t : s.tenants().list()) {
        if (p.canManage(t.id())) out.add(tenant(s, t, now));
      }
      return out;
    });
    long started = System.nanoTime();
    Future<JsonObject> database = storage.ping()
        .map(v -> new JsonObject().put("name", storage.databaseName()).put("ok", true)
            .put("latencyMs", (System.nanoTime() - started) / 1_000_000.0))
        .recover(err -> Future.succeededFuture(new JsonObject().put("name", storage.databaseName()).put("ok", false)
            .put("error", "the database does not answer")));
    return database.compose(db -> tenants.map(list -> new JsonObject().put("tenants", list)
        .put("health", health(db, now))));
  }

  private static JsonObject tenant(StoreSession s, Tenant t, Instant now) {
    JsonArray keys = new JsonArray();
    List<SigningKey> signingKeys = s.signingKeys().list(t.id());
    for (SigningKey k : signingKeys) {
      keys.add(Views.key(k).put("ageSeconds", Duration.between(k.createdAt(), now).toSeconds()));
    }
    return new JsonObject().put("id", t.id()).put("displayName", t.displayName())
        .put("counts", new JsonObject().put("users", s.users().count(t.id()))
            .put("groups", s.groups().list(t.id()).size()).put("clients", s.clients().list(t.id()).size())
            .put("robots", s.robots().count(t.id())).put("activeTokens", s.tokens().countActive(t.id(), now)))
        .put("keys", keys);
  }

  private JsonObject health(JsonObject database, Instant now) {
    Runtime rt = Runtime.getRuntime();
    return new JsonObject().put("version", facts.version()).put("startedAt", Views.time(facts.startedAt()))
        .put("uptimeSeconds", Duration.between(facts.startedAt(), now).toSeconds())
        .put("database", database)
        .put("memory", new JsonObject().put("heapUsedBytes", rt.totalMemory() - rt.freeMemory())
            .put("heapMaxBytes", rt.maxMemory())
            .put("nonHeapUsedBytes", ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage().getUsed()))
        .put("publicUrl", facts.publicUrl()).put("caAvailable", facts.caPem() != null).put("caPem", facts.caPem());
  }
}
