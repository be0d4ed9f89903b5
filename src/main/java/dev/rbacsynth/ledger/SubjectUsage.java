package dev.rbacsynth.ledger;

import dev.rbacsynth.aggregate.ObservedUsage;
import dev.rbacsynth.aggregate.OutcomeStats;
import dev.rbacsynth.aggregate.RequestUse;
import dev.rbacsynth.attributes.Interpretation;
import dev.rbacsynth.attributes.Outcome;
import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.attributes.Requirement;
import dev.rbacsynth.kube.Subject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

/**
 * The usage of one user or service account (by its audit username): per UTC day its events, and per
 * request a {@link RequestRow} (with its per-day counts). Days are {@link Days epoch days}.
 */
public final class SubjectUsage {
  private final String username;
  private final TreeMap<Long, SubjectDay> days = new TreeMap<>();
  // most subjects of an open request's contribution have one row: a small table to start with
  private final HashMap<RequestKey, RequestRow> requests = new HashMap<>(2);

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
    return Collections.unmodifiableSortedMap(days);
  }

  /** The requests, sorted. */
  public SortedMap<RequestKey, RequestRow> requests() {
    return Collections.unmodifiableSortedMap(new TreeMap<>(requests));
  }

  /**
   * The requests sorted, as a list (no sorted map is built: most subjects of an open request have
   * one request).
   */
  List<Map.Entry<RequestKey, RequestRow>> sortedRequests() {
    List<Map.Entry<RequestKey, RequestRow>> sorted = new ArrayList<>(requests.entrySet());
    if (sorted.size() > 1) {
      sorted.sort(Map.Entry.comparingByKey());
    }
    return sorted;
  }

  /** The request rows, unsorted. */
  Collection<RequestRow> requestRows() {
    return Collections.unmodifiableCollection(requests.values());
  }

  /** How many distinct requests. */
  public int requestCount() {
    return requests.size();
  }

  /** Adds one interpreted event (the subject's checks in it). */
  void add(
      Interpretation interpretation,
      Instant time,
      List<String> groups,
      String auditID,
      String userAgent,
      Interner interner) {
    long day = Days.of(time);
    SubjectDay d = days.get(day);
    if (d == null) {
      d = new SubjectDay();
      days.put(day, d);
    }
    d.add(interpretation.skip(), groups, interner);
    Interpretation.Skip skip = interpretation.skip();
    RequestUse use =
        skip == Interpretation.Skip.NONE
            ? RequestUse.USED
            : skip == Interpretation.Skip.REFUSED ? RequestUse.REFUSED : RequestUse.SKIPPED;
    for (Requirement r : interpretation.requirements()) {
      RequestKey key = new RequestKey(r.attributes(), use);
      RequestRow row = requests.get(key);
      if (row == null) {
        row = new RequestRow();
        requests.put(new RequestKey(intern(r.attributes(), interner), use), row);
      }
      // a skipped request's implication is why it was skipped; a refused one's, why it was refused
      String implied = use == RequestUse.SKIPPED ? skip.description() : r.implication();
      row.add(
          r.outcome(),
          time,
          day,
          groups,
          interner,
          implied,
          interpretation.dryRun(),
          auditID,
          userAgent);
    }
  }

  private static RequestAttributes intern(RequestAttributes a, Interner i) {
    return new RequestAttributes(
        a.resourceRequest(),
        i.intern(a.verb()),
        i.intern(a.apiGroup()),
        i.intern(a.resource()),
        i.intern(a.subresource()),
        i.intern(a.namespace()),
        i.intern(a.name()),
        i.intern(a.path()));
  }

  /** Puts a row read back (JSON, database): merged with what is there. */
  public void put(long day, SubjectDay row) {
    SubjectDay mine = days.get(day);
    if (mine == null) {
      days.put(day, row);
    } else {
      mine.merge(row);
    }
  }

  /** Puts a row read back (JSON, database): merged with what is there. */
  public void put(RequestKey key, RequestRow row) {
    RequestRow mine = requests.get(key);
    if (mine == null) {
      requests.put(key, row);
    } else {
      mine.merge(row);
    }
  }

  /** Adds {@code o}'s rows (copied; {@code o} is not changed). */
  void merge(SubjectUsage o) {
    o.days.forEach((d, row) -> put(d, row.copy()));
    o.requests.forEach((k, row) -> put(k, row.copy()));
  }

  /** Adds {@code o}'s rows, taken over ({@code o} must not be used afterwards). */
  void take(SubjectUsage o) {
    o.days.forEach(this::put);
    o.requests.forEach(this::put);
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
        (k, row) -> {
          RequestRow kept = row.slice(keep);
          if (kept != null) {
            c.put(k, kept);
          }
        });
    return c.days.isEmpty() && c.requests.isEmpty() ? null : c;
  }

  /** Adds this subject's rows to an {@link ObservedUsage}. */
  void addTo(ObservedUsage usage, String namespace) {
    for (SubjectDay d : days.values()) {
      usage.addEvents(d.events(), d.skipped(), d.groups());
    }
    for (Map.Entry<RequestKey, RequestRow> e : requests.entrySet()) {
      RequestKey key = e.getKey();
      if (!namespace.isEmpty()
          && !(key.attributes().resourceRequest()
              && key.attributes().namespace().equals(namespace))) {
        continue;
      }
      RequestRow row = e.getValue();
      Map<Outcome, OutcomeStats> outcomes = new EnumMap<>(Outcome.class);
      row.outcomes()
          .forEach((o, s) -> outcomes.put(o, new OutcomeStats(s.count(), s.first(), s.last())));
      usage.addAggregated(
          key.attributes(),
          key.use(),
          outcomes,
          new TreeSet<>(row.commonGroups()),
          row.implication(),
          row.onlyDryRun(),
          row.firstAuditID());
    }
  }

  /**
   * The rows in which the user had {@code group} on every request (a group's usage is its
   * members'), and the days it was seen with it; null when none. An impersonator's checks count
   * only where the impersonated user was not in the group ({@code targetInGroup} says, by
   * username): those requests are the group's through the impersonated user, as a log reads them.
   */
  SubjectUsage inGroup(String group, Predicate<String> targetInGroup) {
    SubjectUsage c = new SubjectUsage(username);
    // the impersonation checks naming a user that is the group's member: their events are not
    // the impersonator's for the group
    TreeMap<Long, Long> notHere = new TreeMap<>();
    boolean anyTarget = false;
    boolean anyTargetKept = false;
    for (Map.Entry<RequestKey, RequestRow> e : requests.entrySet()) {
      String target = impersonatedUser(e.getKey().attributes());
      if (target == null) {
        continue;
      }
      anyTarget = true;
      if (targetInGroup.test(target)) {
        e.getValue()
            .days()
            .forEach(
                (d, byOutcome) ->
                    notHere.merge(
                        d,
                        byOutcome.values().stream().mapToLong(Long::longValue).sum(),
                        Long::sum));
      } else if (e.getValue().commonGroups().contains(group)) {
        anyTargetKept = true;
      }
    }
    boolean keepOtherChecks = !anyTarget || anyTargetKept;
    days.forEach(
        (d, row) -> {
          if (!row.groups().contains(group)) {
            return;
          }
          long left = row.events() - notHere.getOrDefault(d, 0L);
          if (left > 0) {
            c.put(
                d,
                left == row.events()
                    ? row.copy()
                    : SubjectDay.of(left, row.skipped(), row.groups()));
          }
        });
    requests.forEach(
        (k, row) -> {
          if (!row.commonGroups().contains(group)) {
            return;
          }
          if (k.attributes().verb().startsWith("impersonate")) {
            String target = impersonatedUser(k.attributes());
            if (target != null ? targetInGroup.test(target) : !keepOtherChecks) {
              return;
            }
          }
          c.put(k, row.copy());
        });
    return c.isEmpty() ? null : c;
  }

  /** The user an impersonation check names (on users or serviceaccounts), or null. */
  private static String impersonatedUser(RequestAttributes a) {
    if (!a.resourceRequest() || !a.verb().startsWith("impersonate") || !a.apiGroup().isEmpty()) {
      return null;
    }
    return switch (a.resource()) {
      case "users" -> a.name();
      case "serviceaccounts" -> "system:serviceaccount:" + a.namespace() + ":" + a.name();
      default -> null;
    };
  }

  boolean isEmpty() {
    return days.isEmpty() && requests.isEmpty();
  }
}
