package dev.lanyard.storage;

import dev.lanyard.storage.model.AuditEvent;
import dev.lanyard.storage.model.AuditQuery;
import java.time.Instant;
import java.util.List;

/** The audit trail: append-only, but for old events deleted by the retention setting. */
public interface AuditRepository {
  void append(AuditEvent event);
  /** One page of matching events, newest first (ties by id). */
  List<AuditEvent> query(AuditQuery query, int offset, int limit);
  long count(AuditQuery query);
  /** Deletes at most {@code limit} events that occurred before {@code before}, oldest first; returns how many. */
  int deleteBefore(Instant before, int limit);
}
