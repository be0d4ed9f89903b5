package dev.rbacsynth.ledger;

import dev.rbacsynth.attributes.Outcome;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One request of one subject on one UTC day: counts and times per outcome, the groups its user
 * always had that day, the smallest implication, whether it was only ever a dry run, and the {@link
 * #SAMPLES} smallest audit IDs and user agents (so that merging is commutative). Every field merges
 * with a sum, a minimum, a maximum, an intersection, an AND or a bounded union. Mutable while a
 * ledger is built; a built ledger does not change.
 */
public final class RequestDay {
  /** How many audit IDs and user agents are kept as samples. */
  public static final int SAMPLES = 3;

  private final EnumMap<Outcome, Stats> outcomes = new EnumMap<>(Outcome.class);
  private TreeSet<String> commonGroups; // null until the first event
  private String implication = "";
  private boolean onlyDryRun = true;
  private final TreeSet<String> auditIDs = new TreeSet<>();
  private final TreeSet<String> userAgents = new TreeSet<>();

  RequestDay() {}

  /** A row read back (from JSON or a database). */
  public static RequestDay of(
      Map<Outcome, Stats> outcomes,
      Collection<String> commonGroups,
      String implication,
      boolean onlyDryRun,
      Collection<String> auditIDs,
      Collection<String> userAgents) {
    RequestDay d = new RequestDay();
    d.outcomes.putAll(outcomes);
    d.commonGroups = new TreeSet<>(commonGroups);
    d.implication = implication;
    d.onlyDryRun = onlyDryRun;
    auditIDs.forEach(a -> sample(d.auditIDs, a));
    userAgents.forEach(a -> sample(d.userAgents, a));
    return d;
  }

  void add(
      Outcome outcome,
      Instant time,
      List<String> groups,
      String implied,
      boolean dryRun,
      String auditID,
      String userAgent) {
    Stats s = outcomes.get(outcome);
    outcomes.put(outcome, s == null ? Stats.of(time) : s.plus(Stats.of(time)));
    if (commonGroups == null) {
      commonGroups = new TreeSet<>(groups);
    } else if (!commonGroups.isEmpty()) {
      commonGroups.retainAll(groups);
    }
    implication = smaller(implication, implied);
    onlyDryRun &= dryRun;
    sample(auditIDs, auditID);
    sample(userAgents, userAgent);
  }

  void merge(RequestDay o) {
    o.outcomes.forEach((k, v) -> outcomes.merge(k, v, Stats::plus));
    if (o.commonGroups != null) {
      if (commonGroups == null) {
        commonGroups = new TreeSet<>(o.commonGroups);
      } else {
        commonGroups.retainAll(o.commonGroups);
      }
    }
    implication = smaller(implication, o.implication);
    onlyDryRun &= o.onlyDryRun;
    o.auditIDs.forEach(a -> sample(auditIDs, a));
    o.userAgents.forEach(a -> sample(userAgents, a));
  }

  RequestDay copy() {
    RequestDay d = new RequestDay();
    d.merge(this);
    return d;
  }

  private static String smaller(String current, String implied) {
    if (!implied.isEmpty() && (current.isEmpty() || implied.compareTo(current) < 0)) {
      return implied; // the smallest, so the result does not depend on the order
    }
    return current;
  }

  private static void sample(TreeSet<String> kept, String value) {
    if (value == null || value.isEmpty()) {
      return;
    }
    if (kept.size() < SAMPLES) {
      kept.add(value);
    } else if (value.compareTo(kept.last()) < 0 && kept.add(value)) {
      kept.pollLast();
    }
  }

  public Map<Outcome, Stats> outcomes() {
    return java.util.Collections.unmodifiableMap(outcomes);
  }

  public Stats total() {
    Stats t = Stats.NONE;
    for (Stats s : outcomes.values()) {
      t = t.plus(s);
    }
    return t;
  }

  public Set<String> commonGroups() {
    return commonGroups == null ? Set.of() : java.util.Collections.unmodifiableSet(commonGroups);
  }

  public String implication() {
    return implication;
  }

  public boolean onlyDryRun() {
    return onlyDryRun;
  }

  public Set<String> auditIDs() {
    return java.util.Collections.unmodifiableSet(auditIDs);
  }

  public Set<String> userAgents() {
    return java.util.Collections.unmodifiableSet(userAgents);
  }
}
