package dev.lanyard.idp.admin;

import dev.lanyard.idp.stats.Activity;
import dev.lanyard.storage.Storage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /activity?window=hour|day&tenant=}: TokenReviews (allowed, denied) and logins (succeeded, failed)
 * counted by this process, per minute over the last hour or per 15 minutes over the last day, summed over the
 * tenants the caller manages (or the one named). In memory: it restarts from zero with the process.
 */
final class ActivityEndpoint {
  private final Activity activity;
  private final Storage storage;

  ActivityEndpoint(Storage storage, Activity activity) {
    this.storage = storage;
    this.activity = activity;
  }

  void mount(Router router) {
    router.get(AdminApi.BASE + "/activity").handler(AdminRequest.handler(200, this::series));
  }

  private Future<JsonObject> series(AdminRequest r) {
    AdminPrincipal p = r.principal();
    String window = r.query("window") == null ? "hour" : r.query("window");
    if (!window.equals("hour") && !window.equals("day")) throw Problem.invalid("window", "'hour' or 'day'");
    String tenant = r.query("tenant");
    if (tenant != null && !tenant.isEmpty() && !p.canManage(tenant)) throw Problem.forbidden();
    Future<List<String>> tenants = tenant != null && !tenant.isEmpty() ? Future.succeededFuture(List.of(tenant))
        : p.isGlobal() ? storage.transaction(s -> s.tenants().list().stream().map(t -> t.id()).toList())
        : Future.succeededFuture(List.copyOf(p.scopes()));
    boolean hour = window.equals("hour");
    return tenants.map(ids -> {
      Activity.Series s = activity.series(Set.copyOf(ids), hour ? Duration.ofHours(1) : Duration.ofDays(1),
          hour ? Duration.ofMinutes(1) : Duration.ofMinutes(15));
      JsonObject series = new JsonObject();
      JsonObject totals = new JsonObject();
      for (Activity.Kind k : Activity.Kind.values()) {
        JsonArray values = new JsonArray();
        for (long c : s.of(k)) values.add(c);
        series.put(name(k), values);
        totals.put(name(k), s.total(k));
      }
      return new JsonObject().put("window", window).put("bucketSeconds", s.bucketSeconds())
          .put("starts", new JsonArray(s.starts())).put("series", series).put("totals", totals);
    });
  }

  private static String name(Activity.Kind k) {
    return switch (k) {
      case REVIEW_ALLOWED -> "reviewsAllowed";
      case REVIEW_DENIED -> "reviewsDenied";
      case LOGIN_SUCCEEDED -> "loginsSucceeded";
      case LOGIN_FAILED -> "loginsFailed";
    };
  }
}
