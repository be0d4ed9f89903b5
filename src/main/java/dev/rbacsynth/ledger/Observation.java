package dev.rbacsynth.ledger;

import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a ledger is based on: the first and last event time, the audit records absorbed (every stage
 * counted), the unusable records met, the same per cluster, and the files read.
 *
 * @param from the earliest requestReceivedTimestamp, null when no event had one
 * @param to the latest stageTimestamp (or requestReceivedTimestamp), null when none
 * @param clusters per {@code --cluster} label ("" when none was given)
 * @param sources sorted by fingerprint
 * @param eventsByDay records absorbed per UTC day (epoch day, {@link Days#NONE} for no time)
 * @param scope what the ledger holds requests of: every subject and namespace unless collected with
 *     a subject flag or {@code -n} (the records are counted whatever the scope)
 */
public record Observation(
    Instant from,
    Instant to,
    long events,
    long badRecords,
    SortedMap<String, Window> clusters,
    List<Source> sources,
    SortedMap<Long, Long> eventsByDay,
    Scope scope) {

  /**
   * One cluster's window and events.
   *
   * @param eventsByDay the cluster's records per UTC day ({@link Days}), so that a window can be
   *     cut out of it; empty when the ledger holds one cluster only (its days are then the
   *     ledger's) or when a ledger written before clusters had days did not say
   */
  public record Window(Instant from, Instant to, long events, SortedMap<Long, Long> eventsByDay) {
    public Window {
      eventsByDay = Collections.unmodifiableSortedMap(new TreeMap<>(eventsByDay));
    }

    public Window(Instant from, Instant to, long events) {
      this(from, to, events, new TreeMap<>());
    }

    /** The days add up to the events: a window can be cut out of this one exactly. */
    boolean daysKnown() {
      return eventsByDay.values().stream().mapToLong(Long::longValue).sum() == events;
    }

    Window plus(Window o) {
      TreeMap<Long, Long> days = new TreeMap<>(eventsByDay);
      o.eventsByDay.forEach((d, n) -> days.merge(d, n, Long::sum));
      return new Window(Stats.min(from, o.from), Stats.max(to, o.to), events + o.events, days);
    }
  }

  public static final Observation EMPTY =
      new Observation(null, null, 0, 0, new TreeMap<>(), List.of(), new TreeMap<>(), Scope.ALL);

  public Observation {
    if (clusters.size() == 1) {
      // one cluster: its days are the ledger's, written once
      Map.Entry<String, Window> only = clusters.entrySet().iterator().next();
      Window w = only.getValue();
      if (!w.eventsByDay().isEmpty()) {
        clusters = new TreeMap<>(Map.of(only.getKey(), new Window(w.from(), w.to(), w.events())));
      }
    }
    clusters = Collections.unmodifiableSortedMap(new TreeMap<>(clusters));
    sources =
        List.copyOf(sources.stream().sorted(Comparator.comparing(Source::fingerprint)).toList());
    eventsByDay = Collections.unmodifiableSortedMap(new TreeMap<>(eventsByDay));
    Objects.requireNonNull(scope);
  }

  /** The same observation with {@code scope}. */
  public Observation scoped(Scope scope) {
    return new Observation(from, to, events, badRecords, clusters, sources, eventsByDay, scope);
  }

  /**
   * The window the reports show: from, to and events, per cluster when the ledger was collected
   * with {@code --cluster} (the unlabelled part has no entry of its own). The aggregate stage's
   * record shares this one's simple name, so it stays qualified here.
   */
  public dev.rbacsynth.aggregate.Observation watched() {
    SortedMap<String, dev.rbacsynth.aggregate.Observation> perCluster = new TreeMap<>();
    clusters.forEach(
        (name, w) -> {
          if (!name.isEmpty()) {
            perCluster.put(
                name, dev.rbacsynth.aggregate.Observation.of(w.from(), w.to(), w.events()));
          }
        });
    // the days that held events, so that a ledger merged from distant weeks (or collected with a
    // gap) does not pass for one watched from its first day to its last
    SortedSet<Long> days = new TreeSet<>(eventsByDay.keySet());
    days.remove(Days.NONE);
    // what the ledger holds, when it was collected for one subject or namespace
    return new dev.rbacsynth.aggregate.Observation(
        from, to, events, perCluster, days, new TreeMap<>(scope.fields()));
  }

  /**
   * The clusters with their days spelled out where this ledger knows them (the only cluster's days
   * are the ledger's), for merging with another ledger's clusters.
   */
  public SortedMap<String, Window> clustersWithDays() {
    if (clusters.size() != 1) {
      return clusters;
    }
    TreeMap<String, Window> out = new TreeMap<>();
    clusters.forEach(
        (name, w) -> out.put(name, new Window(w.from(), w.to(), w.events(), eventsByDay)));
    return out;
  }

  public Map<String, Source> sourcesByFingerprint() {
    Map<String, Source> m = new TreeMap<>();
    sources.forEach(s -> m.put(s.fingerprint(), s));
    return m;
  }

  /** Records absorbed that came from no registered source (standard input without a name etc.). */
  long unsourcedEvents() {
    return events - sources.stream().mapToLong(Source::events).sum();
  }
}
