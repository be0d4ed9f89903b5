package dev.rbacsynth.aggregate;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

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
 * @param days the UTC days (epoch day numbers) that held events, when known: a ledger counts per
 *     day, so one merged from logs of different weeks, or collected with a gap, says which days of
 *     {@code from}..{@code to} were watched at all. Empty when not known (raw logs: the window is
 *     taken as watched throughout).
 * @param scope what a ledger read holds when it was collected for one subject or namespace: {@code
 *     username} or {@code group}, and {@code namespace}; empty for every subject's requests (raw
 *     logs, and ledgers collected without a subject flag or -n)
 */
public record Observation(
    Instant from,
    Instant to,
    long events,
    SortedMap<String, Observation> clusters,
    SortedSet<Long> days,
    SortedMap<String, String> scope) {

  public static final Observation NONE = new Observation(null, null, 0, new TreeMap<>());

  public Observation {
    clusters = Collections.unmodifiableSortedMap(new TreeMap<>(clusters));
    days = Collections.unmodifiableSortedSet(new TreeSet<>(days));
    scope = Collections.unmodifiableSortedMap(new TreeMap<>(scope));
  }

  /** An observation of every subject whose days with events are not known (watched throughout). */
  public Observation(
      Instant from, Instant to, long events, SortedMap<String, Observation> clusters) {
    this(from, to, events, clusters, new TreeSet<>(), new TreeMap<>());
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

  /**
   * The UTC days between the first and the last day with events that held none: zero when the days
   * are not known. (Counted between days with events, not from {@code from} to {@code to}: a
   * request received before midnight may end after it.)
   */
  public long daysWithoutEvents() {
    return days.isEmpty() ? 0 : spanDays() - days.size();
  }

  /** The UTC days from the first to the last day with events, both included; 0 when not known. */
  public long spanDays() {
    return days.isEmpty() ? 0 : days.last() - days.first() + 1;
  }

  /**
   * The union of two observations (commutative and associative). The days with events are known for
   * the union only when both know them.
   */
  public Observation merge(Observation other) {
    SortedMap<String, Observation> merged = new TreeMap<>(clusters);
    other.clusters.forEach((name, o) -> merged.merge(name, o, Observation::merge));
    SortedSet<Long> both = new TreeSet<>();
    if (!days.isEmpty() && !other.days.isEmpty()) {
      both.addAll(days);
      both.addAll(other.days);
    }
    return new Observation(
        min(from, other.from),
        max(to, other.to),
        events + other.events,
        merged,
        both,
        scope.equals(other.scope) ? scope : new TreeMap<>());
  }

  /** This observation labelled as coming from one cluster. */
  public Observation forCluster(String cluster) {
    return new Observation(
        from,
        to,
        events,
        new TreeMap<>(
            Map.of(cluster, new Observation(from, to, events, new TreeMap<>(), days, scope))),
        days,
        scope);
  }

  private static Instant min(Instant a, Instant b) {
    return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
  }

  private static Instant max(Instant a, Instant b) {
    return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
  }
}
