package dev.rbacsynth.read;

import dev.rbacsynth.event.AuditEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Counts each request once although several stages were logged: events are grouped by auditID and
 * only the final stage goes on (ResponseComplete or Panic, else ResponseStarted, else
 * RequestReceived). Non-final stages wait until their final stage arrives or the input ends. Memory
 * is bounded: past {@code maxPending} waiting requests the oldest is released as it is, and
 * completed auditIDs are remembered in a bounded window to drop late stages.
 *
 * <p>A client can set the {@code Audit-ID} header, so one auditID can name different requests: only
 * stages of the same request (same verb, requestURI, user and impersonated user) are merged; a
 * different request under a known auditID is kept, and reported once per auditID.
 */
public final class StageMerger {

  private record Pending(AuditEvent event, SourceLocation location) {}

  private final int maxPending;
  private final BiConsumer<AuditEvent, SourceLocation> downstream;
  private final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();
  // the last maxPending auditIDs seen, oldest out first, each with the fingerprint of the
  // request it was first seen with (to notice reuse) and whether that request's final stage came
  // (DONE): one lookup an event, where two windows took two (the lookups were 7 % of collect's
  // samples). A reused ID's second request is kept under its own key (the ID, NUL, its
  // fingerprint).
  private final AuditIdWindow seen;
  // Final stages that may have come before their request's other stages: parts of the input are
  // read at once (segments of a large file, files), so a request received at the end of one part
  // and completed in the next can have its final stage handed on first, and its earlier stages
  // long after, when `seen` has let it go (a watch then counted twice, its earlier stages as an
  // open request). Kept: the final stages first seen in a part after the first whose request was
  // received before the part began (up to HEAD later), with their fingerprint; an earlier stage
  // of one of them is dropped. Bounded like `seen`: these are the requests open across a part's
  // start, not all of its requests.
  private final AuditIdWindow straddling;
  // the stage time of the first record of each part after the first seen here, plus HEAD
  private final HashMap<Integer, Instant> headEnd = new HashMap<>();
  // the auditID being looked up (accept holds the lock)
  private final AuditIdWindow.Key key = new AuditIdWindow.Key();
  private final BiConsumer<SourceLocation, String> reused;
  private final LinkedHashMap<String, Boolean> reportedIDs;

  public StageMerger(int maxPending, BiConsumer<AuditEvent, SourceLocation> downstream) {
    this(maxPending, downstream, (location, message) -> {});
  }

  /**
   * @param reused told (once per auditID) when an auditID names more than one request
   */
  public StageMerger(
      int maxPending,
      BiConsumer<AuditEvent, SourceLocation> downstream,
      BiConsumer<SourceLocation, String> reused) {
    this.maxPending = maxPending;
    this.downstream = downstream;
    this.reused = reused;
    this.seen = new AuditIdWindow(maxPending);
    this.straddling = new AuditIdWindow(maxPending);
    this.reportedIDs = bounded(maxPending);
  }

  private static <V> LinkedHashMap<String, V> bounded(int max) {
    return new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > max;
      }
    };
  }

  /**
   * How far out of time order the lines around a part's start may be: a final stage whose request
   * was received up to this long after the part's first record may still have its earlier stages in
   * the part before (a real log was 21 s out of order).
   */
  static final Duration HEAD = Duration.ofMinutes(1);

  /** In a window value: the request's final stage came. */
  private static final int DONE = 1;

  /**
   * What all stages of one request share: verb, requestURI and the authenticated user (not the
   * impersonated user, which a RequestReceived stage may not carry yet). The lowest bit is left for
   * {@link #DONE}.
   */
  private static int fingerprint(AuditEvent e) {
    int h = e.verb().hashCode();
    h = 31 * h + e.requestURI().hashCode();
    return (31 * h + e.user().username().hashCode()) & ~DONE;
  }

  public synchronized void accept(AuditEvent event, SourceLocation location) {
    String auditID = event.auditID();
    if (auditID.isEmpty()) {
      downstream.accept(event, location); // nothing to group by (hand-made or foreign records)
      return;
    }
    int fingerprint = fingerprint(event);
    AuditIdWindow.Key key = this.key.of(auditID);
    int part = InputOrder.part();
    Instant head = part > 0 ? headEnd.get(part) : null;
    if (part > 0 && head == null) {
      Instant start = stageTime(event);
      if (start != null) {
        head = start.plus(HEAD);
        headEnd.put(part, head);
      }
    }
    int slot = seen.slotOf(key);
    if (slot < 0) {
      boolean isFinal = event.stage().isFinal();
      if (!isFinal && straddling.size() > 0) {
        int s = straddling.slotOf(key);
        if (s >= 0 && straddling.value(s) == fingerprint) {
          return; // an earlier stage of a request counted from a later part
        }
      }
      if (isFinal && head != null && receivedBefore(event, head) && straddling.slotOf(key) < 0) {
        straddling.put(key, fingerprint);
      }
      slot = seen.put(key, fingerprint); // new: the request it is seen with now
    }
    String id = auditID;
    if ((seen.value(slot) & ~DONE) != fingerprint) {
      if (reportedIDs.put(auditID, Boolean.TRUE) == null) {
        reused.accept(
            location,
            "auditID "
                + auditID
                + " names more than one request (clients can set the Audit-ID header):"
                + " each request is counted");
      }
      id = auditID + '\0' + Integer.toHexString(fingerprint);
      key = new AuditIdWindow.Key().of(id);
      slot = seen.slotOf(key);
      if (slot < 0) {
        slot = seen.put(key, 0);
      }
    }
    int state = seen.value(slot);
    if ((state & DONE) != 0) {
      return; // a repeated final stage or a late stage of a request already counted
    }
    if (event.stage().isFinal()) {
      seen.value(slot, state | DONE);
      if (!pending.isEmpty()) { // usually empty: a request's stages are logged one after another
        pending.remove(id);
      }
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

  /** When the record was logged (its stage time), else when its request was received. */
  private static Instant stageTime(AuditEvent e) {
    Instant t = e.stageTimestamp().isEmpty() ? null : Timestamps.parse(e.stageTimestamp());
    return t != null ? t : e.requestReceivedTimestamp();
  }

  /** Received before {@code limit}; true when the event does not say when it was received. */
  private static boolean receivedBefore(AuditEvent e, Instant limit) {
    Instant received = e.requestReceivedTimestamp();
    return received == null || received.isBefore(limit);
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
