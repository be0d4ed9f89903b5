package dev.rbacsynth.serve;

import java.util.List;

/**
 * What some events add to the usage, in the store's shape: per subject and distinct request, counts
 * per UTC day and outcome (summed, first and last kept) and the ledger's other fields as an opaque
 * document the {@link UsageCodec} merges. Subject and request keys are the codec's canonical
 * strings, so equal requests meet in one row whichever batch brought them.
 *
 * @param events events absorbed (after stage merging)
 * @param badRecords items that were not usable Events
 * @param cluster the {@code --cluster} label the events came from
 */
public record UsageDelta(
    long events,
    long badRecords,
    String cluster,
    String from,
    String to,
    List<SubjectDelta> subjects) {

  public UsageDelta {
    subjects = List.copyOf(subjects);
  }

  public static UsageDelta empty(String cluster) {
    return new UsageDelta(0, 0, cluster, null, null, List.of());
  }

  /**
   * @param extra the subject's fields other than its requests (groups seen, kind, ...), merged by
   *     the codec
   */
  public record SubjectDelta(String key, String extra, List<RequestDelta> requests) {
    public SubjectDelta {
      requests = List.copyOf(requests);
    }
  }

  /**
   * @param extra the request's fields other than its counts (samples, groups, implication, ...),
   *     merged by the codec
   */
  public record RequestDelta(String key, String extra, List<DayCount> days) {
    public RequestDelta {
      days = List.copyOf(days);
    }
  }

  /**
   * @param day UTC day {@code YYYY-MM-DD}, "" when the events had no time
   * @param first RFC 3339 time or null; likewise last
   */
  public record DayCount(String day, String outcome, long count, String first, String last) {}
}
