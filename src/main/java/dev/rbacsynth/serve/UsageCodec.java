package dev.rbacsynth.serve;

import dev.rbacsynth.event.AuditEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * The usage ledger as the store sees it: events into a {@link UsageDelta} (the ledger's one
 * absorbing path: subject interpretation, implied checks, outcomes), the ledger's merge rule for
 * the fields that are not counters, and a ledger document rebuilt from stored rows. The store never
 * interprets an event itself.
 */
public interface UsageCodec {

  /**
   * The usage of events whose stages are already merged (each request once, its final stage).
   *
   * @param badRecords items of the batch that were not usable Events
   */
  UsageDelta absorb(List<AuditEvent> events, long badRecords, String cluster);

  /** The merge of two subject {@code extra} documents (commutative, associative). */
  String mergeSubjectExtra(String a, String b);

  /** The merge of two request {@code extra} documents (commutative, associative). */
  String mergeRequestExtra(String a, String b);

  /**
   * Writes the ledger of {@code usage} (which may hold the same subject or request more than once:
   * they are merged), in the ledger's JSON format.
   */
  void writeLedger(Observation observation, List<UsageDelta.SubjectDelta> usage, OutputStream out)
      throws IOException;

  /** What the stored usage is based on, per cluster. */
  record Observation(List<ClusterObservation> clusters) {
    public Observation {
      clusters = List.copyOf(clusters);
    }
  }

  /**
   * @param from first event time (RFC 3339) or null; likewise to
   */
  record ClusterObservation(String cluster, long events, long badRecords, String from, String to) {}
}
