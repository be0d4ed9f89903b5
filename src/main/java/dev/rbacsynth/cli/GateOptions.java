package dev.rbacsynth.cli;

import dev.rbacsynth.review.Baseline;
import dev.rbacsynth.review.Finding;
import dev.rbacsynth.review.Gate;
import dev.rbacsynth.review.Risk;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** What makes {@code diff} exit 1: --fail-on, and the findings a --baseline accepts. */
public final class GateOptions {

  /**
   * One {@code --fail-on} value: a kind of finding, one risk ({@code risky:<kind>}, or the bare
   * risk name after a {@code risky:} item, so {@code risky:wildcard,bind} reads naturally), or
   * {@code none} (both null).
   */
  record FailOn(Finding finding, String risk) {}

  /** missing, unused, risky, none, risky:KIND or KIND. */
  static final class FailOnConverter implements ITypeConverter<FailOn> {
    @Override
    public FailOn convert(String raw) {
      String v = raw.trim();
      switch (v) {
        case "missing":
          return new FailOn(Finding.MISSING, null);
        case "unused":
          return new FailOn(Finding.UNUSED, null);
        case "risky":
          return new FailOn(Finding.RISKY, null);
        case "none":
          return new FailOn(null, null);
        default:
          break;
      }
      String risk = v.startsWith("risky:") ? v.substring("risky:".length()) : v;
      if (Risk.kinds().contains(risk)) {
        return new FailOn(null, risk);
      }
      throw new TypeConversionException(
          (v.startsWith("risky:") ? "unknown risk \"" + risk + "\"" : "\"" + v + "\"")
              + ": expected missing, unused, risky, none or risky:KIND with KIND one of "
              + String.join(", ", Risk.kinds()));
    }
  }

  /** The values --help and shell completion offer. */
  static final class FailOnCandidates implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      List<String> all = new ArrayList<>(List.of("missing", "unused", "risky", "none"));
      Risk.kinds().forEach(k -> all.add("risky:" + k));
      return all.iterator();
    }
  }

  @Option(
      names = "--fail-on",
      split = ",",
      paramLabel = "FINDINGS",
      defaultValue = "missing",
      converter = FailOnConverter.class,
      completionCandidates = FailOnCandidates.class,
      description =
          "Findings that make the exit code 1: any of missing, unused, risky, risky:KIND (one "
              + "risk, e.g. risky:wildcard,secrets-read-cluster-wide), or none "
              + "(default: ${DEFAULT-VALUE}).")
  List<FailOn> failOn;

  @Option(
      names = "--baseline",
      paramLabel = "FILE",
      description =
          "Accepted findings (a file --write-baseline wrote): they are still reported, marked as "
              + "baselined, but do not fail the run. An entry may carry \"reason\" and \"expires\" "
              + "(YYYY-MM-DD): after that date the finding fails again.")
  Path baseline;

  @Option(
      names = "--write-baseline",
      paramLabel = "FILE",
      description =
          "Write every finding of this run to FILE as a baseline (reasons and expiry dates of a "
              + "--baseline given too are kept); the findings then do not fail this run.")
  Path writeBaseline;

  Baseline loadBaseline() {
    return baseline == null ? Baseline.NONE : Baseline.read(baseline);
  }

  /** The gate for today (UTC). */
  Gate gate(Baseline loaded) {
    Set<Finding> kinds = EnumSet.noneOf(Finding.class);
    Set<String> risks = new LinkedHashSet<>();
    for (FailOn f : failOn) {
      if (f.finding() != null) {
        kinds.add(f.finding());
      }
      if (f.risk() != null) {
        risks.add(f.risk());
      }
    }
    return new Gate(kinds, risks, loaded, LocalDate.now(ZoneOffset.UTC));
  }
}
