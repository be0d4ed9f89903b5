package dev.rbacsynth.aggregate;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What was watched: the first and last event time of the whole input and how many audit events it
 * held, of every subject, not only of the one a report is about. A subject that made no request for
 * a week was still watched for that week, so "not used" is judged against this window; a subject's
 * own activity is {@link ObservedUsage#firstSeen()} to {@link ObservedUsage#lastSeen()}.
 *
 * <p>Mergeable, as a usage ledger needs it to be: {@link #merge} takes the earliest {@code from},
 * the latest {@code to} and the sum of the events, per cluster as well, so any order of merging
 * gives the same result.
 *
 * @param from the earliest event time, null when no event had a time
 * @param to the latest event time, null when no event had a time
 * @param events audit events in the input (every stage logged counts, as read)
 * @param clusters the same per cluster, when the input says which cluster it came from (ledgers
 *     collected with a cluster name); empty for raw logs
 */
public record Observation(
    Instant from, Instant to, long events, SortedMap<String, Observation> clusters) {

  public static final Observation NONE = new Observation(null, null, 0, new TreeMap<>());

  public Observation {
    clusters = Collections.unmodifiableSortedMap(new TreeMap<>(clusters));
  }

  public static Observation of(Instant from, Instant to, long events) {
    return new Observation(from, to, events, new TreeMap<>());
  }

  /** The window's length; zero when unknown. */
  public Duration length() {
    return from == null || to == null ? Duration.ZERO : Duration.between(from, to);
  }

  /** True when at least one event had a time. */
  public boolean known() {
    return from != null;
  }

  /** The union of two observations (commutative and associative). */
  public Observation merge(Observation other) {
    SortedMap<String, Observation> merged = new TreeMap<>(clusters);
    other.clusters.forEach((name, o) -> merged.merge(name, o, Observation::merge));
    return new Observation(min(from, other.from), max(to, other.to), events + other.events, merged);
  }

  /** This observation labelled as coming from one cluster. */
  public Observation forCluster(String cluster) {
    return new Observation(from, to, events, new TreeMap<>(Map.of(cluster, of(from, to, events))));
  }

  private static Instant min(Instant a, Instant b) {
    return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
  }

  private static Instant max(Instant a, Instant b) {
    return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
  }
}
