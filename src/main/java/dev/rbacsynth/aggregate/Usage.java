package dev.rbacsynth.aggregate;

import dev.rbacsynth.attributes.Outcome;
import dev.rbacsynth.event.AuditIds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything observed about one distinct request: counts and times per outcome, the groups its user
 * always had (for the "already granted by defaults" test), why it was implied, and whether it was
 * only ever a dry run.
 *
 * <p>Compact, since one is kept per distinct request (a million names make a million of them): the
 * usual single outcome is three primitive fields, times are epoch nanoseconds (no {@link Instant}
 * is kept), the group set and the implication are shared copies ({@link Interned}), and an audit ID
 * in the canonical UUID form is kept as two longs. About 80 bytes instead of about 500.
 */
public final class Usage {
  private static final Outcome[] OUTCOMES = Outcome.values();
  private static final int N = OUTCOMES.length;
  private static final byte NONE = -1;
  private static final byte SEVERAL = -2;

  // The outcome seen (its ordinal), NONE before the first, SEVERAL when more than one was: then
  // byOutcome holds count, first and last of every outcome, and the three fields below are unused.
  private byte outcome = NONE;
  private long count;
  private long first = EpochNanos.NONE;
  private long last = EpochNanos.NONE;
  private long[] byOutcome;
  private Set<String> commonGroups;
  private String implication = "";
  private boolean onlyDryRun = true;
  // The sample audit ID: in idHigh/idLow when it is a canonical UUID (idText null), else idText
  // ("" for none).
  private long idHigh;
  private long idLow;
  private String idText = "";

  void add(
      Outcome outcome,
      Instant time,
      List<String> groups,
      String implied,
      boolean dryRun,
      String auditId,
      Interned interned) {
    sample(auditId);
    long t = EpochNanos.of(time);
    count(outcome.ordinal(), 1, t, t);
    groups(groups, interned);
    imply(implied, interned);
    onlyDryRun &= dryRun;
  }

  void addAggregated(
      Map<Outcome, OutcomeStats> outcomes,
      Set<String> groups,
      String implied,
      boolean dryRun,
      String auditId,
      Interned interned) {
    sample(auditId);
    outcomes.forEach(
        (o, st) ->
            count(o.ordinal(), st.count(), EpochNanos.of(st.first()), EpochNanos.of(st.last())));
    groups(groups, interned);
    imply(implied, interned);
    onlyDryRun &= dryRun;
  }

  private void count(int o, long n, long from, long to) {
    if (outcome == NONE || outcome == o) {
      outcome = (byte) o;
      count += n;
      first = EpochNanos.min(first, from);
      last = EpochNanos.max(last, to);
      return;
    }
    if (outcome != SEVERAL) {
      byOutcome = new long[3 * N];
      for (int k = 0; k < N; k++) {
        byOutcome[3 * k + 1] = EpochNanos.NONE;
        byOutcome[3 * k + 2] = EpochNanos.NONE;
      }
      byOutcome[3 * outcome] = count;
      byOutcome[3 * outcome + 1] = first;
      byOutcome[3 * outcome + 2] = last;
      outcome = SEVERAL;
    }
    byOutcome[3 * o] += n;
    byOutcome[3 * o + 1] = EpochNanos.min(byOutcome[3 * o + 1], from);
    byOutcome[3 * o + 2] = EpochNanos.max(byOutcome[3 * o + 2], to);
  }

  /** {@code interned} may be null (a small usage shares nothing): the values are then copied. */
  private void groups(Collection<String> groups, Interned interned) {
    if (commonGroups == null) {
      commonGroups = set(groups, interned);
    } else if (!commonGroups.isEmpty() && !groups.containsAll(commonGroups)) {
      List<String> kept = new ArrayList<>(commonGroups);
      kept.retainAll(groups);
      commonGroups = set(kept, interned);
    }
  }

  private static Set<String> set(Collection<String> values, Interned interned) {
    return interned != null
        ? interned.set(values)
        : Collections.unmodifiableSortedSet(new TreeSet<>(values));
  }

  private void imply(String implied, Interned interned) {
    if (!implied.isEmpty() && (implication.isEmpty() || implied.compareTo(implication) < 0)) {
      // the smallest: independent of the reading order
      implication = interned == null ? implied : interned.string(implied);
    }
  }

  private void sample(String auditId) {
    if (auditId == null || auditId.isEmpty()) {
      return;
    }
    boolean none = idText != null && idText.isEmpty();
    if (AuditIds.isCanonicalUuid(auditId)) {
      long high = AuditIds.high(auditId);
      long low = AuditIds.low(auditId);
      if (none
          || (idText == null
              ? compareUnsigned(high, low, idHigh, idLow) < 0
              : auditId.compareTo(idText) < 0)) {
        idHigh = high;
        idLow = low;
        idText = null;
      }
    } else if (none || auditId.compareTo(sampleAuditId()) < 0) {
      idText = auditId; // the smallest, so the result does not depend on the reading order
    }
  }

  private static int compareUnsigned(long h1, long l1, long h2, long l2) {
    int c = Long.compareUnsigned(h1, h2);
    return c != 0 ? c : Long.compareUnsigned(l1, l2);
  }

  private long countOf(int o) {
    return outcome == SEVERAL ? byOutcome[3 * o] : outcome == o ? count : 0;
  }

  public OutcomeStats stats(Outcome outcome) {
    int o = outcome.ordinal();
    if (this.outcome == SEVERAL) {
      return new OutcomeStats(
          byOutcome[3 * o],
          EpochNanos.instant(byOutcome[3 * o + 1]),
          EpochNanos.instant(byOutcome[3 * o + 2]));
    }
    return this.outcome == o
        ? new OutcomeStats(count, EpochNanos.instant(first), EpochNanos.instant(last))
        : new OutcomeStats();
  }

  public OutcomeStats total() {
    if (outcome != SEVERAL) {
      return new OutcomeStats(count, EpochNanos.instant(first), EpochNanos.instant(last));
    }
    long n = 0;
    long f = EpochNanos.NONE;
    long l = EpochNanos.NONE;
    for (int k = 0; k < N; k++) {
      n += byOutcome[3 * k];
      f = EpochNanos.min(f, byOutcome[3 * k + 1]);
      l = EpochNanos.max(l, byOutcome[3 * k + 2]);
    }
    return new OutcomeStats(n, EpochNanos.instant(f), EpochNanos.instant(l));
  }

  public boolean seen(Outcome outcome) {
    return countOf(outcome.ordinal()) > 0;
  }

  /**
   * The last time the request was allowed, when that was after its last {@code denial}: the denial
   * was then <em>transient</em> (a start-up race: the apiserver's caches warming, or RBAC created a
   * moment after the workload that needs it), not a lasting lack. Null when {@code denial} was
   * never seen, the request was never allowed after it, or a time is unknown. The one definition of
   * a transient denial: generate's denied report and diff's missing requests both use it.
   */
  public Instant allowedAfter(Outcome denial) {
    if (!seen(denial) || !seen(Outcome.ALLOWED)) {
      return null;
    }
    Instant denied = stats(denial).last();
    Instant allowed = stats(Outcome.ALLOWED).last();
    return allowed != null && denied != null && allowed.isAfter(denied) ? allowed : null;
  }

  /** True when every occurrence was denied (so nothing shows the permission was ever granted). */
  public boolean onlyDenied() {
    for (int k = 0; k < N; k++) {
      if (countOf(k) > 0 && !OUTCOMES[k].denied()) {
        return false;
      }
    }
    return true;
  }

  /** The groups the user had on every occurrence, sorted. */
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
    return idText != null ? idText : AuditIds.text(idHigh, idLow);
  }
}
