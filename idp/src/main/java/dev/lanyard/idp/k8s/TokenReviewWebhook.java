package dev.lanyard.idp.k8s;

import dev.lanyard.idp.audit.AuditLog;
import dev.lanyard.idp.audit.RepeatedFailures;
import dev.lanyard.idp.server.RequestBodies;
import dev.lanyard.idp.stats.Activity;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.StorageUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /t/{tenant}/tokenreview}: the kube-apiserver's authentication webhook
 * ({@code --authentication-token-webhook-config-file}; it appends {@code ?timeout=30s}, which is ignored).
 *
 * <p>The caller is the cluster whose bearer credential it presents or, without one, whose TLS client
 * certificate (issued by the Lanyard CA, checked by the TLS layer) it presents.
 *
 * <p>Answers: 401 for a caller without the cluster's credential; 400 for a body the API server would never
 * send; 200 with the TokenReview otherwise (denials included); 500 with {@code Retry-After} when Lanyard
 * itself fails (database down), which the API server retries instead of denying.
 */
public final class TokenReviewWebhook {
  private static final Logger log = LoggerFactory.getLogger(TokenReviewWebhook.class);
  /** Large enough for a 1 MB token, which is then refused quickly as malformed. */
  private static final int BODY_LIMIT = 2 * 1024 * 1024;
  private static final java.time.Duration FAILURE_AUDIT_WINDOW = java.time.Duration.ofSeconds(10);

  private final Storage storage;
  private final WebhookCallerAuthenticator callers;
  private final TokenReviewer reviewer;
  private final PrincipalDirectory principals;
  private final LastUsedRecorder lastUsed;
  private final RepeatedFailures failures;

  public TokenReviewWebhook(Vertx vertx, Storage storage, AuditLog audit, Clock clock) {
    this(vertx, storage, audit, clock, new Activity(clock));
  }

  /** As above, counting each review's outcome in {@code activity} for the console's charts. */
  public TokenReviewWebhook(Vertx vertx, Storage storage, AuditLog audit, Clock clock, Activity activity) {
    this.storage = storage;
    // A guesser or a misconfigured cluster fails at request rate: one audit row per kind per 10 s, plus a count.
    this.failures = new RepeatedFailures(vertx, storage, audit, FAILURE_AUDIT_WINDOW);
    this.callers = new WebhookCallerAuthenticator(storage);
    this.principals = new PrincipalDirectory(storage);
    this.lastUsed = new LastUsedRecorder(vertx, storage);
    this.reviewer = new TokenReviewer(storage, principals, lastUsed, failures, clock, activity);
    storage.onChange(this::onChange);
  }

  public void mount(Router router) {
    router.post("/t/:tenant/tokenreview")
        .handler(RequestBodies.limitedTo(BODY_LIMIT))
        .handler(this::handle);
  }

  /** Writes pending last-use times; call before closing storage. */
  public Future<Void> close() {
    return Future.all(lastUsed.close(), failures.close()).mapEmpty();
  }

  private void handle(RoutingContext ctx) {
    String tenantId = ctx.pathParam("tenant");
    // The caller's address is only written down with a failure: not worked out for every review.
    Supplier<String> source = () -> sourceAddress(ctx);
    String authorization = ctx.request().getHeader("Authorization");
    callers.authenticate(tenantId, authorization, authorization == null ? ClientCertificates.subject(ctx.request()) : null)
        .compose(caller -> {
          if (caller.isEmpty()) {
            failures.record(new AuditLog.Entry(tenantId, "anonymous", "tokenreview.unauthenticated",
                null, AuditLog.FAILURE, source.get(), null));
            status(ctx, 401, "Unauthorized", "the cluster's webhook credential is required");
            return Future.succeededFuture();
          }
          TokenReviewRequest request;
          try {
            request = TokenReviewRequest.parse(ctx.body().buffer() == null ? io.vertx.core.buffer.Buffer.buffer()
                : ctx.body().buffer());
          } catch (TokenReviewRequest.Malformed e) {
            status(ctx, 400, "BadRequest", e.getMessage());
            return Future.succeededFuture();
          }
          return reviewer.review(tenantId, caller.get(), request, source).onSuccess(answer -> ctx.response()
              .putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
              .end(answer));
        })
        .onFailure(err -> {
          if (!(err instanceof StorageUnavailableException)) log.error("token review failed", err);
          // 500 + Retry-After: the API server retries; a denial here would lock people out.
          ctx.response().putHeader("Retry-After", "1");
          status(ctx, 500, "InternalError", "Lanyard could not decide; try again");
        });
  }

  private static String sourceAddress(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
  }

  /** A Kubernetes {@code Status} object, which the API server logs when it is not a TokenReview. */
  private static void status(RoutingContext ctx, int code, String reason, String message) {
    if (ctx.response().ended()) return;
    ctx.response().setStatusCode(code).putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(new JsonObject().put("apiVersion", "v1").put("kind", "Status").put("status", "Failure")
            .put("message", message).put("reason", reason).put("code", code).toBuffer());
  }

  private void onChange(Storage.Change change) {
    if (ClusterService.CHANGE_TOPIC.equals(change.topic())) {
      callers.forgetTenant(change.payload().split("/", 2)[0]);
    } else if (Storage.Change.RESYNC.equals(change)) {
      callers.forgetAll();
    }
    reviewer.onChange(change);
  }
}
