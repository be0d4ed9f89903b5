package dev.rbacsynth.aggregate;

import dev.rbacsynth.attributes.Interpretation;
import dev.rbacsynth.attributes.Outcome;
import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.attributes.Requirement;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The subject's distinct requests with their usage. Memory grows with the number of distinct
 * permissions, never with the number of events.
 */
public final class ObservedUsage {
  /**
   * Groups whose requests RBAC does not decide: system:masters bypasses it, system:nodes use the
   * Node authorizer.
   */
  public static final Set<String> PRIVILEGED_GROUPS = Set.of("system:masters", "system:nodes");

  private final Map<RequestAttributes, Usage> byRequest = new HashMap<>();
  private final Map<Interpretation.Skip, Long> skipped = new EnumMap<>(Interpretation.Skip.class);
  private final Map<RequestAttributes, Usage> skippedRequests = new HashMap<>();
  private final Map<RequestAttributes, Usage> refusedRequests = new HashMap<>();
  private final Set<String> privilegedGroups = new TreeSet<>();
  // Made once the subject has many distinct requests: --all-subjects keeps 100 000 small usages,
  // whose few requests share little, and two maps each would cost more than they save.
  private Interned interned;
  private long matchedEvents;
  private Map<RequestAttributes, Usage> sorted;

  /** From how many distinct requests (in one of the lists) the shared parts are shared. */
  static final int INTERN_FROM = 64;

  /** The usage of {@code request} in {@code map}, added (with its shared parts shared) if new. */
  private Usage usage(Map<RequestAttributes, Usage> map, RequestAttributes request) {
    Usage u = map.get(request);
    if (u == null) {
      u = new Usage();
      if (interned == null && map.size() >= INTERN_FROM) {
        interned = new Interned();
      }
      map.put(interned == null ? request : interned.request(request), u);
    }
    return u;
  }

  /**
   * Adds one event's checks.
   *
   * @param auditId the event's audit ID ("" when it had none), kept as a sample per request
   */
  public synchronized void add(
      Interpretation interpretation,
      Instant time,
      List<String> groups,
      boolean dryRun,
      String auditId) {
    matchedEvents++;
    sorted = null;
    for (String g : groups) {
      if (PRIVILEGED_GROUPS.contains(g)) {
        privilegedGroups.add(g);
      }
    }
    if (interpretation.skip() == Interpretation.Skip.REFUSED) {
      skipped.merge(interpretation.skip(), 1L, Long::sum);
      for (Requirement r : interpretation.requirements()) {
        usage(refusedRequests, r.attributes())
            .add(r.outcome(), time, groups, r.implication(), dryRun, auditId, interned);
      }
      return;
    }
    if (interpretation.skip() != Interpretation.Skip.NONE) {
      skipped.merge(interpretation.skip(), 1L, Long::sum);
      for (Requirement r : interpretation.requirements()) {
        usage(skippedRequests, r.attributes())
            .add(
                r.outcome(),
                time,
                groups,
                interpretation.skip().description(),
                dryRun,
                auditId,
                interned);
      }
      return;
    }
    for (Requirement r : interpretation.requirements()) {
      usage(byRequest, r.attributes())
          .add(r.outcome(), time, groups, r.implication(), dryRun, auditId, interned);
    }
  }

  /**
   * Adds usage aggregated elsewhere (a usage ledger): one request with its per-outcome counts and
   * times, the groups its user always had, the smallest implication and whether it was only ever a
   * dry run. Equal to adding each of its events one by one: every part is a sum, a minimum, a
   * maximum, an intersection or an AND.
   *
   * @param use which list the request belongs to: used, skipped ({@link #skippedRequests()}) or
   *     refused ({@link #refusedRequests()}); for the last two the implication is the reason
   * @param sampleAuditId the smallest audit ID behind it ("" when none); the smaller one is kept
   */
  public synchronized void addAggregated(
      RequestAttributes request,
      RequestUse use,
      Map<Outcome, OutcomeStats> outcomes,
      Set<String> commonGroups,
      String implication,
      boolean onlyDryRun,
      String sampleAuditId) {
    sorted = null;
    usage(
            switch (use) {
              case USED -> byRequest;
              case SKIPPED -> skippedRequests;
              case REFUSED -> refusedRequests;
            },
            request)
        .addAggregated(outcomes, commonGroups, implication, onlyDryRun, sampleAuditId, interned);
  }

  /** Adds events counted elsewhere: matched events, skip counts and privileged groups seen. */
  public synchronized void addEvents(
      long events, Map<Interpretation.Skip, Long> skips, Set<String> privileged) {
    matchedEvents += events;
    skips.forEach((k, v) -> skipped.merge(k, v, Long::sum));
    for (String g : privileged) {
      if (PRIVILEGED_GROUPS.contains(g)) {
        privilegedGroups.add(g);
      }
    }
  }

  /** Requests to consider for rules, in a stable order (sorted once, after reading). */
  public synchronized Map<RequestAttributes, Usage> requests() {
    if (sorted == null) {
      sorted = SortedRequests.of(byRequest);
    }
    return sorted;
  }

  /**
   * Requests that were seen but cannot be granted (denied impersonation, OPTIONS, removed paths).
   */
  public synchronized Map<RequestAttributes, Usage> skippedRequests() {
    return SortedRequests.of(skippedRequests);
  }

  /**
   * Checks that were refused, each with why ({@link Usage#implication()}): a literal {@code *} or
   * an empty name that RBAC would read as any. Never granted, always reported.
   */
  public synchronized Map<RequestAttributes, Usage> refusedRequests() {
    return SortedRequests.of(refusedRequests);
  }

  public Map<Interpretation.Skip, Long> skippedEvents() {
    return new EnumMap<>(skipped);
  }

  /** Events (after stage deduplication) in which the subject took part. */
  public long matchedEvents() {
    return matchedEvents;
  }

  /** Which of {@link #PRIVILEGED_GROUPS} the subject was seen in. */
  public synchronized Set<String> privilegedGroups() {
    return Set.copyOf(privilegedGroups);
  }

  public int distinctRequests() {
    return byRequest.size();
  }

  /** The subject's first request (granted or not), or null when none had a time. */
  public synchronized Instant firstSeen() {
    Instant first = null;
    for (Map<RequestAttributes, Usage> m : List.of(byRequest, skippedRequests)) {
      for (Usage u : m.values()) {
        Instant t = u.total().first();
        if (t != null && (first == null || t.isBefore(first))) {
          first = t;
        }
      }
    }
    return first;
  }

  /** The subject's last request (granted or not), or null when none had a time. */
  public synchronized Instant lastSeen() {
    Instant last = null;
    for (Map<RequestAttributes, Usage> m : List.of(byRequest, skippedRequests)) {
      for (Usage u : m.values()) {
        Instant t = u.total().last();
        if (t != null && (last == null || t.isAfter(last))) {
          last = t;
        }
      }
    }
    return last;
  }

  /** Checks of the subject that RBAC denied (each occurrence counts). */
  public synchronized long deniedChecks() {
    long n = 0;
    for (Usage u : byRequest.values()) {
      for (Outcome o : Outcome.values()) {
        if (o.denied()) {
          n += u.stats(o).count();
        }
      }
    }
    return n;
  }
}
