package dev.rbacsynth.read;

import dev.rbacsynth.event.AuditEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Counts each request once although several stages were logged: events are grouped by auditID and
 * only the final stage goes on (ResponseComplete or Panic, else ResponseStarted, else
 * RequestReceived). Non-final stages wait until their final stage arrives or the input ends. Memory
 * is bounded: past {@code maxPending} waiting requests the oldest is released as it is, and
 * completed auditIDs are remembered in a bounded window to drop late stages.
 */
public final class StageMerger {

  private record Pending(AuditEvent event, SourceLocation location) {}

  private final int maxPending;
  private final BiConsumer<AuditEvent, SourceLocation> downstream;
  private final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();
  private final LinkedHashMap<String, Boolean> completed;

  public StageMerger(int maxPending, BiConsumer<AuditEvent, SourceLocation> downstream) {
    this.maxPending = maxPending;
    this.downstream = downstream;
    this.completed =
        new LinkedHashMap<>(16, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > maxPending;
          }
        };
  }

  public synchronized void accept(AuditEvent event, SourceLocation location) {
    String id = event.auditID();
    if (id.isEmpty()) {
      downstream.accept(event, location); // nothing to group by (hand-made or foreign records)
      return;
    }
    if (completed.containsKey(id)) {
      return; // a late or repeated stage of a request already counted
    }
    if (event.stage().isFinal()) {
      pending.remove(id);
      completed.put(id, Boolean.TRUE);
      downstream.accept(event, location);
      return;
    }
    Pending previous = pending.get(id);
    if (previous == null || event.stage().rank() >= previous.event().stage().rank()) {
      pending.put(id, new Pending(event, previous == null ? location : previous.location()));
    }
    if (pending.size() > maxPending) {
      var eldest = pending.entrySet().iterator().next();
      pending.remove(eldest.getKey());
      downstream.accept(eldest.getValue().event(), eldest.getValue().location());
    }
  }

  /** Releases the requests whose final stage never came (log cut, long watches still open). */
  public synchronized void flush() {
    flush(downstream);
  }

  /**
   * Releases the requests whose final stage never came to {@code open} instead of downstream (the
   * usage ledger keeps them apart, as their final stage may be in a later file).
   */
  public synchronized void flush(BiConsumer<AuditEvent, SourceLocation> open) {
    for (Pending p : pending.values()) {
      open.accept(p.event(), p.location());
    }
    pending.clear();
  }
}
