package dev.lanyard.idp.audit;

import dev.lanyard.storage.Storage;
import dev.lanyard.storage.StoreSession;
import dev.lanyard.storage.TimeOrderedIds;
import dev.lanyard.storage.model.AuditEvent;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * Records audit events: stored (queryable through the admin API) and written as a line that is exactly one JSON
 * object (the server's {@link AuditLines}, on standard output). A change's event is stored in the change's own
 * transaction, so the trail never shows a change that did not happen, nor misses one that did.
 */
public final class AuditLog {
  public static final String SUCCESS = "success";
  public static final String FAILURE = "failure";

  private final Clock clock;
  private final Consumer<AuditEvent> observer;
  private final Consumer<String> lines;

  /**
   * For offline commands: the lines go straight to standard error, beside the command's own messages (its standard
   * output may be a token a script captures); no event loop serves requests there.
   */
  public AuditLog(Clock clock) {
    this(clock, e -> {}, System.err::println);
  }

  /**
   * With an observer told of every event as it is written (after commit for {@link #recordAlone}, inside the
   * transaction for {@link #record}), and where each event's JSON line goes; neither may block.
   */
  public AuditLog(Clock clock, Consumer<AuditEvent> observer, Consumer<String> lines) {
    this.clock = clock;
    this.observer = observer;
    this.lines = lines;
  }

  /** What happened; {@code details} never holds secrets. */
  public record Entry(String tenantId, String actor, String action, String target, String outcome, String source,
      JsonObject details) {
    /**
     * This entry under no tenant, the typed one in {@code details.tenant}: for a failure at a tenant that does not
     * exist, so made-up tenant ids stay out of tenants' trails.
     */
    public Entry atUnknownTenant(String typedTenant) {
      JsonObject moved = details == null ? new JsonObject() : details.copy();
      return new Entry(null, actor, action, target, outcome, source, moved.put("tenant", typedTenant));
    }
  }

  /** Inside the transaction that makes the change. */
  public void record(StoreSession session, Entry entry) {
    AuditEvent event = toEvent(entry);
    session.audit().append(event);
    writeLine(event);
  }

  /** In a transaction of its own, for things that change nothing else (a failed authentication). */
  public Future<Void> recordAlone(Storage storage, Entry entry) {
    AuditEvent event = toEvent(entry);
    return storage.transaction(s -> {
      s.audit().append(event);
      return null;
    }).onSuccess(v -> writeLine(event)).mapEmpty();
  }

  private AuditEvent toEvent(Entry e) {
    return new AuditEvent(TimeOrderedIds.next(), clock.instant(), e.tenantId(), e.actor(), e.action(),
        e.target(), e.outcome(), e.source(), e.details() == null ? null : e.details().encode());
  }

  private void writeLine(AuditEvent e) {
    observer.accept(e);
    JsonObject line = new JsonObject().put("at", e.at().toString()).put("tenant", e.tenantId())
        .put("actor", e.actor()).put("action", e.action()).put("target", e.target()).put("outcome", e.outcome())
        .put("source", e.source());
    if (e.details() != null) line.put("details", new JsonObject(e.details()));
    lines.accept(line.encode());
  }
}
