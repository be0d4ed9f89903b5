package dev.rbacsynth.cli;

import dev.rbacsynth.review.Baseline;
import dev.rbacsynth.review.Gate;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import picocli.CommandLine.Option;

/** What makes {@code diff} exit 1: --fail-on, and the findings a --baseline accepts. */
public final class GateOptions {

  @Option(
      names = "--fail-on",
      split = ",",
      paramLabel = "FINDINGS",
      defaultValue = "missing",
      description =
          "Findings that make the exit code 1: any of missing, unused, risky, risky:<kind> (one "
              + "risk, e.g. risky:wildcard,secrets-read-cluster-wide), or none "
              + "(default: ${DEFAULT-VALUE}).")
  List<String> failOn;

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
              + "--baseline given too are kept). The exit code is then 0 unless the run fails "
              + "for another reason.")
  Path writeBaseline;

  Baseline loadBaseline() {
    return baseline == null ? Baseline.NONE : Baseline.read(baseline);
  }

  /** The gate for today (UTC). */
  Gate gate(Baseline loaded) {
    return Gate.parse(failOn, loaded, LocalDate.now(ZoneOffset.UTC));
  }
}
