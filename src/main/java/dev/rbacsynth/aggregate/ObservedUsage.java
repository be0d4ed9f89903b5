package dev.rbacsynth.aggregate;

import dev.rbacsynth.attributes.Interpretation;
import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.attributes.Requirement;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
  private final Set<String> privilegedGroups = new TreeSet<>();
  private long matchedEvents;
  private Map<RequestAttributes, Usage> sorted;

  public synchronized void add(
      Interpretation interpretation, Instant time, List<String> groups, boolean dryRun) {
    matchedEvents++;
    sorted = null;
    for (String g : groups) {
      if (PRIVILEGED_GROUPS.contains(g)) {
        privilegedGroups.add(g);
      }
    }
    if (interpretation.skip() != Interpretation.Skip.NONE) {
      skipped.merge(interpretation.skip(), 1L, Long::sum);
      for (Requirement r : interpretation.requirements()) {
        skippedRequests
            .computeIfAbsent(r.attributes(), k -> new Usage())
            .add(r.outcome(), time, groups, interpretation.skip().description(), dryRun);
      }
      return;
    }
    for (Requirement r : interpretation.requirements()) {
      byRequest
          .computeIfAbsent(r.attributes(), k -> new Usage())
          .add(r.outcome(), time, groups, r.implication(), dryRun);
    }
  }

  /** Requests to consider for rules, in a stable order (sorted once, after reading). */
  public synchronized Map<RequestAttributes, Usage> requests() {
    if (sorted == null) {
      Map<RequestAttributes, Usage> map = new TreeMap<>(RequestAttributes.ORDER);
      map.putAll(byRequest);
      sorted = Collections.unmodifiableMap(map);
    }
    return sorted;
  }

  /**
   * Requests that were seen but cannot be granted (denied impersonation, OPTIONS, removed paths).
   */
  public Map<RequestAttributes, Usage> skippedRequests() {
    Map<RequestAttributes, Usage> sorted = new TreeMap<>(RequestAttributes.ORDER);
    sorted.putAll(skippedRequests);
    return sorted;
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
}
