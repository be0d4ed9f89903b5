package dev.rbacsynth.ledger;

import dev.rbacsynth.aggregate.ObservedUsage;
import dev.rbacsynth.aggregate.OutcomeStats;
import dev.rbacsynth.attributes.Interpretation;
import dev.rbacsynth.attributes.Outcome;
import dev.rbacsynth.attributes.Requirement;
import dev.rbacsynth.kube.Subject;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongPredicate;

/**
 * The usage of one user or service account (by its audit username): per UTC day its events, and per
 * request and day a {@link RequestDay}. Days are {@link Days epoch days}.
 */
public final class SubjectUsage {
  private final String username;
  private final TreeMap<Long, SubjectDay> days = new TreeMap<>();
  private final HashMap<RequestKey, TreeMap<Long, RequestDay>> requests = new HashMap<>();

  public SubjectUsage(String username) {
    this.username = username;
  }

  public String username() {
    return username;
  }

  public Subject subject() {
    return Subject.forUsername(username);
  }

  public SortedMap<Long, SubjectDay> days() {
    return java.util.Collections.unmodifiableSortedMap(days);
  }

  /** The requests, sorted, each with its days. */
  public SortedMap<RequestKey, SortedMap<Long, RequestDay>> requests() {
    TreeMap<RequestKey, SortedMap<Long, RequestDay>> sorted = new TreeMap<>();
    requests.forEach((k, v) -> sorted.put(k, java.util.Collections.unmodifiableSortedMap(v)));
    return sorted;
  }

  /** Adds one interpreted event (the subject's checks in it). */
  void add(
      Interpretation interpretation,
      Instant time,
      List<String> groups,
      String auditID,
      String userAgent) {
    long day = Days.of(time);
    days.computeIfAbsent(day, d -> new SubjectDay()).add(interpretation.skip(), groups);
    boolean skipped = interpretation.skip() != Interpretation.Skip.NONE;
    for (Requirement r : interpretation.requirements()) {
      RequestKey key = new RequestKey(r.attributes(), skipped);
      String implied = skipped ? interpretation.skip().description() : r.implication();
      requests
          .computeIfAbsent(key, k -> new TreeMap<>())
          .computeIfAbsent(day, d -> new RequestDay())
          .add(r.outcome(), time, groups, implied, interpretation.dryRun(), auditID, userAgent);
    }
  }

  /** Puts a row read back (JSON, database): merged with what is there. */
  public void put(long day, SubjectDay row) {
    days.merge(
        day,
        row,
        (a, b) -> {
          a.merge(b);
          return a;
        });
  }

  /** Puts a row read back (JSON, database): merged with what is there. */
  public void put(RequestKey key, long day, RequestDay row) {
    requests
        .computeIfAbsent(key, k -> new TreeMap<>())
        .merge(
            day,
            row,
            (a, b) -> {
              a.merge(b);
              return a;
            });
  }

  void merge(SubjectUsage o) {
    o.days.forEach((d, row) -> put(d, row.copy()));
    o.requests.forEach((k, byDay) -> byDay.forEach((d, row) -> put(k, d, row.copy())));
  }

  SubjectUsage copy() {
    SubjectUsage c = new SubjectUsage(username);
    c.merge(this);
    return c;
  }

  /** The days kept by {@code keep}; null when none is left. */
  SubjectUsage filterDays(LongPredicate keep) {
    SubjectUsage c = new SubjectUsage(username);
    days.forEach(
        (d, row) -> {
          if (keep.test(d)) {
            c.put(d, row.copy());
          }
        });
    requests.forEach(
        (k, byDay) ->
            byDay.forEach(
                (d, row) -> {
                  if (keep.test(d)) {
                    c.put(k, d, row.copy());
                  }
                }));
    return c.days.isEmpty() && c.requests.isEmpty() ? null : c;
  }

  /** Adds this subject's rows (of the days kept) to an {@link ObservedUsage}. */
  void addTo(ObservedUsage usage, String namespace) {
    for (SubjectDay d : days.values()) {
      usage.addEvents(d.events(), d.skipped(), d.groups());
    }
    for (Map.Entry<RequestKey, TreeMap<Long, RequestDay>> e : requests.entrySet()) {
      RequestKey key = e.getKey();
      if (!namespace.isEmpty()
          && !(key.attributes().resourceRequest()
              && key.attributes().namespace().equals(namespace))) {
        continue;
      }
      for (RequestDay row : e.getValue().values()) {
        Map<Outcome, OutcomeStats> outcomes = new EnumMap<>(Outcome.class);
        row.outcomes()
            .forEach((o, s) -> outcomes.put(o, new OutcomeStats(s.count(), s.first(), s.last())));
        usage.addAggregated(
            key.attributes(),
            key.skipped(),
            outcomes,
            new TreeSet<>(row.commonGroups()),
            row.implication(),
            row.onlyDryRun(),
            row.auditIDs().isEmpty() ? "" : row.auditIDs().iterator().next());
      }
    }
  }

  /**
   * The rows in which the user had {@code group} on every request (a group's usage is its
   * members'), and the days it was seen with it; null when none.
   */
  SubjectUsage inGroup(String group) {
    SubjectUsage c = new SubjectUsage(username);
    days.forEach(
        (d, row) -> {
          if (row.groups().contains(group)) {
            c.put(d, row.copy());
          }
        });
    requests.forEach(
        (k, byDay) ->
            byDay.forEach(
                (d, row) -> {
                  if (row.commonGroups().contains(group)) {
                    c.put(k, d, row.copy());
                  }
                }));
    return c.isEmpty() ? null : c;
  }

  boolean isEmpty() {
    return days.isEmpty() && requests.isEmpty();
  }
}
