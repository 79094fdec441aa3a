package dev.lanyard.storage;

import dev.lanyard.storage.model.AuditEvent;
import dev.lanyard.storage.model.AuditQuery;
import java.util.List;

/** The audit trail: append-only. */
public interface AuditRepository {
  void append(AuditEvent event);
  /** One page of matching events, newest first (ties by id). */
  List<AuditEvent> query(AuditQuery query, int offset, int limit);
  long count(AuditQuery query);
}
