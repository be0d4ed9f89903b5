package dev.rbacsynth.aggregate;

import dev.rbacsynth.attributes.Outcome;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything observed about one distinct request: counts and times per outcome, the groups its user
 * always had (for the "already granted by defaults" test), why it was implied, and whether it was
 * only ever a dry run.
 */
public final class Usage {
  private final Map<Outcome, OutcomeStats> byOutcome = new EnumMap<>(Outcome.class);
  private Set<String> commonGroups;
  private String implication = "";
  private boolean onlyDryRun = true;
  private String sampleAuditId = "";

  void add(
      Outcome outcome,
      Instant time,
      List<String> groups,
      String implied,
      boolean dryRun,
      String auditId) {
    sample(auditId);
    byOutcome.computeIfAbsent(outcome, o -> new OutcomeStats()).add(time);
    if (commonGroups == null) {
      commonGroups = new TreeSet<>(groups);
    } else {
      commonGroups.retainAll(groups);
    }
    if (!implied.isEmpty() && (implication.isEmpty() || implied.compareTo(implication) < 0)) {
      implication = implied; // the smallest, so the result does not depend on reading order
    }
    onlyDryRun &= dryRun;
  }

  void addAggregated(
      Map<Outcome, OutcomeStats> outcomes,
      Set<String> groups,
      String implied,
      boolean dryRun,
      String auditId) {
    sample(auditId);
    outcomes.forEach((o, st) -> byOutcome.computeIfAbsent(o, k -> new OutcomeStats()).merge(st));
    if (commonGroups == null) {
      commonGroups = new TreeSet<>(groups);
    } else {
      commonGroups.retainAll(groups);
    }
    if (!implied.isEmpty() && (implication.isEmpty() || implied.compareTo(implication) < 0)) {
      implication = implied;
    }
    onlyDryRun &= dryRun;
  }

  private void sample(String auditId) {
    if (!auditId.isEmpty() && (sampleAuditId.isEmpty() || auditId.compareTo(sampleAuditId) < 0)) {
      sampleAuditId = auditId; // the smallest, so the result does not depend on reading order
    }
  }

  public OutcomeStats stats(Outcome outcome) {
    return byOutcome.getOrDefault(outcome, new OutcomeStats());
  }

  public OutcomeStats total() {
    OutcomeStats total = new OutcomeStats();
    byOutcome.values().forEach(total::merge);
    return total;
  }

  public boolean seen(Outcome outcome) {
    return byOutcome.containsKey(outcome);
  }

  /** True when every occurrence was denied (so nothing shows the permission was ever granted). */
  public boolean onlyDenied() {
    return byOutcome.keySet().stream().allMatch(Outcome::denied);
  }

  public Set<String> commonGroups() {
    return commonGroups == null ? Set.of() : commonGroups;
  }

  public String implication() {
    return implication;
  }

  public boolean onlyDryRun() {
    return onlyDryRun;
  }

  /**
   * One audit ID of the events behind this request, to find them in the log: the smallest, so the
   * same events give the same sample in any order, and merging keeps the smaller of two samples (as
   * counts sum and first/last take the min/max). "" when the events had none.
   */
  public String sampleAuditId() {
    return sampleAuditId;
  }
}
