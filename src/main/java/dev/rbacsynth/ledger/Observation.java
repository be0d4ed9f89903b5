package dev.rbacsynth.ledger;

import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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
 */
public record Observation(
    Instant from,
    Instant to,
    long events,
    long badRecords,
    SortedMap<String, Window> clusters,
    List<Source> sources,
    SortedMap<Long, Long> eventsByDay) {

  /** One cluster's (or the whole ledger's) window and events. */
  public record Window(Instant from, Instant to, long events) {
    Window plus(Window o) {
      return new Window(Stats.min(from, o.from), Stats.max(to, o.to), events + o.events);
    }
  }

  public static final Observation EMPTY =
      new Observation(null, null, 0, 0, new TreeMap<>(), List.of(), new TreeMap<>());

  public Observation {
    clusters = Collections.unmodifiableSortedMap(new TreeMap<>(clusters));
    sources =
        List.copyOf(sources.stream().sorted(Comparator.comparing(Source::fingerprint)).toList());
    eventsByDay = Collections.unmodifiableSortedMap(new TreeMap<>(eventsByDay));
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
    return new dev.rbacsynth.aggregate.Observation(from, to, events, perCluster, days);
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
