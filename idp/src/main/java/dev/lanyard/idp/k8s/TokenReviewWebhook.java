package dev.lanyard.idp.k8s;

import dev.lanyard.idp.audit.AuditLog;
import dev.lanyard.idp.audit.RepeatedFailures;
import dev.lanyard.idp.server.DirectEndpoint;
import dev.lanyard.idp.server.RequestBodies;
import dev.lanyard.idp.stats.Activity;
import dev.lanyard.storage.InvalidInputException;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.StorageUnavailableException;
import dev.lanyard.storage.model.Cluster;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /t/{tenant}/tokenreview}: the kube-apiserver's authentication webhook
 * ({@code --authentication-token-webhook-config-file}; it appends {@code ?timeout=30s}, which is ignored).
 *
 * <p>The caller is the cluster whose bearer credential it presents or, without one, whose TLS client
 * certificate (issued by the Lanyard CA, checked by the TLS layer) it presents.
 *
 * <p>Answers: 401 for a caller without the cluster's credential (decided before the body is read); 400 for a
 * body the API server would never send; 200 with the TokenReview otherwise (denials included); 500 with a
 * {@code Status} of reason {@code InternalError} when Lanyard itself fails (database down, or not answering
 * within {@link #REVIEW_DEADLINE_MILLIS}), which the API server retries instead of denying.
 */
public final class TokenReviewWebhook {
  private static final Logger log = LoggerFactory.getLogger(TokenReviewWebhook.class);
  /** Large enough for a 1 MB token, which is then refused quickly as malformed. */
  private static final int BODY_LIMIT = 2 * 1024 * 1024;
  private static final java.time.Duration FAILURE_AUDIT_WINDOW = java.time.Duration.ofSeconds(10);
  private static final String SUFFIX = "/tokenreview";
  /** A tenant id in the URL is recorded up to this length (the router's path may carry a long one). */
  private static final int MAX_AUDITED_TENANT = 64;
  /**
   * The longest a review waits for the database: one that stopped answering (a cut network) gets the 500 of a
   * passing fault after this. The API server retries a 500 up to 5 times with backoff, all within its own
   * request's 60 s deadline: 10 s a try held a user's request ~50 s, 3 s holds it under 20 s.
   */
  static final long REVIEW_DEADLINE_MILLIS = 3_000;
  /** How long the API server is asked to wait before it retries a 500. */
  private static final int RETRY_AFTER_SECONDS = 1;

  private final Vertx vertx;
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
    this.vertx = vertx;
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
    // Requests the direct endpoint leaves alone (a tenant id that needs decoding, a trailing slash) end up here,
    // and are answered alike: no body handler, so Content-Type is ignored and the body's limit is the same.
    // The router hands the request over paused.
    router.post("/t/:tenant/tokenreview").handler(ctx -> handle(ctx.request(), ctx.pathParam("tenant"), true));
  }

  /**
   * The same endpoint without the router, for the common case: {@code POST /t/{tenant}/tokenreview} with a
   * tenant id of plain characters (letters, digits, {@code -} and {@code _}), which needs no decoding.
   */
  public DirectEndpoint direct() {
    return new DirectEndpoint() {
      @Override
      public boolean accepts(HttpServerRequest request) {
        return request.method() == HttpMethod.POST && tenantOf(request.path()) != null
            && request.authority() != null; // no or a malformed Host: the router answers 400
      }

      @Override
      public void handle(HttpServerRequest request) {
        TokenReviewWebhook.this.handle(request, tenantOf(request.path()), false);
      }
    };
  }

  /** The tenant id in {@code /t/{tenant}/tokenreview}, or null for any other path or a tenant id to decode. */
  static String tenantOf(String path) {
    if (path == null || !path.startsWith("/t/") || !path.endsWith(SUFFIX)) return null;
    int end = path.length() - SUFFIX.length();
    if (end <= 3) return null;
    for (int i = 3; i < end; i++) {
      char c = path.charAt(i);
      boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_';
      if (!plain) return null;
    }
    return path.substring(3, end);
  }

  /** Writes pending last-use times; call before closing storage. */
  public Future<Void> close() {
    return Future.all(lastUsed.close(), failures.close()).mapEmpty();
  }

  /**
   * Authenticates the caller from the request's headers before a byte of the body is read (or
   * {@code 100 Continue} sent): someone without a cluster's credential gets its 401 without making Lanyard buffer
   * up to {@link #BODY_LIMIT}. A caller known to the cache goes on on this stack; one read from the database
   * waits with its request paused.
   *
   * @param paused whether the request arrives paused (the router's way), to be resumed once its body is wanted
   */
  private void handle(HttpServerRequest http, String tenantId, boolean paused) {
    String authorization = http.getHeader("Authorization");
    String certificate = authorization == null ? ClientCertificates.subject(http) : null;
    Future<Optional<Cluster>> caller;
    try {
      caller = callers.authenticate(tenantId, authorization, certificate);
    } catch (RuntimeException e) {
      caller = Future.failedFuture(e);
    }
    boolean presented = authorization != null || certificate != null;
    if (caller.isComplete()) {
      admit(http, tenantId, paused, caller, presented);
      return;
    }
    if (!paused) http.pause(); // the body stays unread (kept by Vert.x, not lost) until the caller is known
    long deadline = vertx.setTimer(REVIEW_DEADLINE_MILLIS, t -> answerUnread(http, TokenReviewWebhook::retryLater));
    caller.onComplete(known -> {
      vertx.cancelTimer(deadline);
      if (!http.response().ended()) admit(http, tenantId, true, known, presented);
    });
  }

  /** Reads the body of an authenticated caller's request and reviews it; answers anyone else at once. */
  private void admit(HttpServerRequest http, String tenantId, boolean paused, AsyncResult<Optional<Cluster>> caller,
      boolean presented) {
    if (caller.failed()) {
      answerUnread(http, response -> failed(response, caller.cause()));
      return;
    }
    if (caller.result().isEmpty()) {
      failures.record(unauthenticated(tenantId, presented, sourceAddress(http)));
      answerUnread(http,
          response -> status(response, 401, "Unauthorized", "the cluster's webhook credential is required"));
      return;
    }
    Cluster cluster = caller.result().get();
    RequestBodies.read(http, BODY_LIMIT).onComplete(body -> {
      if (body.succeeded()) {
        review(http, tenantId, cluster, body.result());
      } else if (body.cause() instanceof RequestBodies.TooLarge tooLarge) {
        status(http.response(), 413, "RequestEntityTooLarge", tooLarge.getMessage());
      }
      // Otherwise the connection broke while the body arrived: there is nobody to answer.
    });
    if (paused) http.resume();
  }

  /**
   * Answers a request whose body was not read. Over HTTP/1.x the connection is closed after the answer: the
   * unread body would otherwise be taken for the next request. Over HTTP/2 the stream's remaining data (at most
   * its flow-control window) is dropped as it arrives.
   */
  private static void answerUnread(HttpServerRequest http, Consumer<HttpServerResponse> answer) {
    HttpServerResponse response = http.response();
    if (response.ended()) return;
    boolean http1 = http.version() != HttpVersion.HTTP_2;
    if (http1 && !http.isEnded()) response.putHeader("Connection", "close");
    answer.accept(response);
    http.resume(); // with no handler set, what still arrives is dropped, never buffered
    if (http1 && !http.isEnded()) http.connection().close();
  }

  private void review(HttpServerRequest http, String tenantId, Cluster caller, Buffer body) {
    HttpServerResponse response = http.response();
    TokenReviewRequest request;
    try {
      request = TokenReviewRequest.parse(body);
    } catch (TokenReviewRequest.Malformed e) {
      status(response, 400, "BadRequest", e.getMessage());
      return;
    }
    Future<Buffer> done;
    try {
      // The caller's address is only written down with a failure: not worked out for every review.
      done = reviewer.review(tenantId, caller, request, () -> sourceAddress(http));
    } catch (RuntimeException e) {
      done = Future.failedFuture(e);
    }
    if (!done.isComplete()) { // it read the database (a review answered from the caches is complete here)
      long deadline = vertx.setTimer(REVIEW_DEADLINE_MILLIS, t -> retryLater(response));
      done.onComplete(r -> vertx.cancelTimer(deadline));
    }
    done.onComplete(answer -> {
      if (answer.failed()) {
        failed(response, answer.cause());
      } else if (!response.ended()) { // else the deadline above answered
        response.putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
            .end(answer.result());
      }
    });
  }

  /** The answer to a failed review or caller lookup. */
  private static void failed(HttpServerResponse response, Throwable err) {
    if (err instanceof InvalidInputException) { // a tenant id with a NUL character: the request's fault, not ours
      status(response, 400, "BadRequest", "the tenant id holds a character that cannot be stored");
      return;
    }
    if (!(err instanceof StorageUnavailableException)) log.error("token review failed", err);
    retryLater(response);
  }

  /**
   * 500 with {@code reason: InternalError} and {@code details.retryAfterSeconds}: the API server's webhook client
   * retries it (apimachinery's IsInternalError; the delay is read from the Status, since client-go drops the
   * Retry-After header, which is sent too for anyone else). A denial here would lock people out.
   */
  private static void retryLater(HttpServerResponse response) {
    if (response.ended()) return;
    response.putHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
    status(response, 500, "InternalError", "Lanyard could not decide; try again",
        new JsonObject().put("retryAfterSeconds", RETRY_AFTER_SECONDS));
  }

  /**
   * The audit entry of a caller without a cluster's credential. Its tenant is only the URL's word, which anyone
   * can make up (a made-up tenant per request must not open an audit window each), so the event is process-wide,
   * with the URL's tenant in its details, and such failures from one address are counted together.
   */
  private static AuditLog.Entry unauthenticated(String tenantId, boolean presented, String source) {
    String named = tenantId.length() > MAX_AUDITED_TENANT ? tenantId.substring(0, MAX_AUDITED_TENANT) + "..." : tenantId;
    return new AuditLog.Entry(null, "anonymous", "tokenreview.unauthenticated", null, AuditLog.FAILURE, source,
        new JsonObject().put("reason", presented ? "not a credential of the tenant's clusters" : "no credential")
            .put("tenant", named));
  }

  private static String sourceAddress(HttpServerRequest request) {
    return request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
  }

  /** A 400 {@code Status} for a request refused before the webhook saw it (a malformed query string). */
  public static void badRequest(HttpServerResponse response, String message) {
    status(response, 400, "BadRequest", message);
  }

  /** A Kubernetes {@code Status} object, which the API server logs when it is not a TokenReview. */
  private static void status(HttpServerResponse response, int code, String reason, String message) {
    status(response, code, reason, message, null);
  }

  /** As above, with the Status's {@code details} when not null. */
  private static void status(HttpServerResponse response, int code, String reason, String message,
      JsonObject details) {
    if (response.ended()) return;
    JsonObject status = new JsonObject().put("apiVersion", "v1").put("kind", "Status").put("status", "Failure")
        .put("message", message).put("reason", reason).put("code", code);
    if (details != null) status.put("details", details);
    response.setStatusCode(code).putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store").end(status.toBuffer());
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
