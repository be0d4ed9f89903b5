package dev.rbacsynth.review;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which findings fail {@code diff} (exit code 1): the kinds of {@code --fail-on} ({@code missing},
 * {@code unused}, {@code risky}, or single risks as {@code risky:<kind>}), less the findings a
 * {@link Baseline} accepts and whose waiver has not expired.
 */
public final class Gate {

  /** What the gate makes of one finding. */
  public enum Verdict {
    /** The finding fails the run. */
    FAILS,
    /** A gated finding the baseline accepts (still reported). */
    BASELINED,
    /** A gated finding whose baseline entry expired: it fails again. */
    EXPIRED,
    /** --fail-on does not name this kind of finding. */
    NOT_GATED;

    public boolean fails() {
      return this == FAILS || this == EXPIRED;
    }
  }

  private final Set<Finding> kinds;
  private final Set<String> riskKinds;
  private final Baseline baseline;
  private final LocalDate today;

  public Gate(Set<Finding> kinds, Set<String> riskKinds, Baseline baseline, LocalDate today) {
    this.kinds = Set.copyOf(kinds);
    this.riskKinds = Set.copyOf(riskKinds);
    this.baseline = baseline;
    this.today = today;
  }

  public Verdict verdict(ReviewFinding f) {
    boolean gated =
        kinds.contains(f.kind())
            || (f.kind() == Finding.RISKY && riskKinds.contains(f.risk().risk()));
    if (!gated) {
      return Verdict.NOT_GATED;
    }
    Optional<Baseline.Entry> entry = baseline.entry(f.fingerprint());
    if (entry.isEmpty()) {
      return Verdict.FAILS;
    }
    return entry.get().expiredOn(today) ? Verdict.EXPIRED : Verdict.BASELINED;
  }

  /** The baseline entry of a finding, gated or not. */
  public Optional<Baseline.Entry> baselineEntry(ReviewFinding f) {
    return baseline.entry(f.fingerprint());
  }

  public LocalDate today() {
    return today;
  }

  public boolean fails(List<ReviewFinding> findings) {
    return findings.stream().anyMatch(f -> verdict(f).fails());
  }

  /** Whether the finding kind is gated at all ({@code risky} counts when one risk kind is). */
  public boolean gates(Finding kind) {
    return kinds.contains(kind) || (kind == Finding.RISKY && !riskKinds.isEmpty());
  }
}
