package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Cli;
import dev.rbacsynth.HkermaAuditLog;
import dev.rbacsynth.Reports;
import dev.rbacsynth.TestData;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every output says what it is based on: the observation window of the input (the real hkerma log:
 * 4 minutes of a cluster; demo.log: 34 minutes), and a warning when that is under --min-window.
 */
class ObservationWindowCliTest {
  private static final String HKERMA_WINDOW =
      "2023-01-27T18:28:08.127428Z to 2023-01-27T18:32:12.473826Z (4m4s), 16563 audit event(s)";

  @Test
  void generateSaysFromWhenToWhenAndWarnsWhenShort() {
    Cli.Result r = Cli.run("generate", "-f", GenerateCommandTest.DEMO, "--user", "alice");
    assertThat(r.exit()).isZero();
    assertThat(r.err())
        .contains(
            "rbac-synth: observed 2017-09-11T19:55:05Z to 2017-09-11T20:29:04Z (33m59s), 37 audit"
                + " event(s); user alice active from 2017-09-11T20:28:54Z to 2017-09-11T20:29:04Z\n")
        .contains(
            "warning: the observation window is only 33m59s, under --min-window 7d: unused "
                + "findings and generated roles may miss rare requests");
  }

  @Test
  void theWarningStaysUnderQuietAndGoesBelowTheMinimum() {
    Cli.Result quiet = Cli.run("generate", "-f", GenerateCommandTest.DEMO, "--user", "alice", "-q");
    assertThat(quiet.err()).startsWith("warning: the observation window is only 33m59s");
    assertThat(quiet.err().lines()).hasSize(1);
    Cli.Result enough =
        Cli.run(
            "generate", "-f", GenerateCommandTest.DEMO, "--user", "alice", "--min-window", "30m");
    assertThat(enough.err()).contains("rbac-synth: observed").doesNotContain("warning:");
    Cli.Result bad =
        Cli.run(
            "generate",
            "-f",
            GenerateCommandTest.DEMO,
            "--user",
            "alice",
            "--min-window",
            "7 days");
    assertThat(bad.exit()).isEqualTo(ExitCodes.USAGE_OR_INPUT);
    assertThat(bad.err()).contains("\"7 days\" is not a duration");
  }

  @Test
  void generateOnTheRealLogStatesItsFourMinutes() {
    Cli.Result r =
        Cli.run(
            "generate",
            "-f",
            HkermaAuditLog.jsonl().toString(),
            "--serviceaccount",
            "ingress-nginx:my-ingress-nginx");
    assertThat(r.err()).contains("rbac-synth: observed " + HKERMA_WINDOW + "; serviceaccount");
    assertThat(r.err()).contains("warning: the observation window is only 4m4s");
  }

  private static Cli.Result diff(String format, String... extra) {
    String[] base = {
      "diff",
      "-f",
      HkermaAuditLog.jsonl().toString(),
      "-q",
      "-o",
      format,
      "--serviceaccount",
      "kube-flannel:flannel",
      "--rbac",
      TestData.FLANNEL
    };
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return Cli.run(args);
  }

  @Test
  void diffJsonCarriesTheObservation() {
    JsonNode report = Reports.json(diff("json").out());
    JsonNode o = report.get("observation");
    assertThat(o.get("from").asString()).isEqualTo("2023-01-27T18:28:08.127428Z");
    assertThat(o.get("to").asString()).isEqualTo("2023-01-27T18:32:12.473826Z");
    assertThat(o.get("seconds").asLong()).isEqualTo(244);
    assertThat(o.get("events").asLong()).isEqualTo(16_563);
    assertThat(o.get("minWindowSeconds").asLong()).isEqualTo(7 * 86_400);
    assertThat(o.get("warning").asString()).startsWith("the observation window is only 4m4s");
    assertThat(o.get("clusters").isEmpty()).isTrue();
    JsonNode long_ = Reports.json(diff("json", "--min-window", "1m").out()).get("observation");
    assertThat(long_.get("warning").asString()).isEmpty();
  }

  @Test
  void diffTextAndMarkdownSayItInTheHeaderAndQualifyUnused() {
    String text = diff("text").out();
    assertThat(text)
        .startsWith(
            "OBSERVED: "
                + HKERMA_WINDOW
                + "\nWARNING: the observation window is only 4m4s, under --min-window 7d");
    assertThat(text).contains("UNUSED: 3 rule(s) with 3 grant(s) not used in the 4-minute window");
    String md = diff("markdown").out();
    assertThat(md)
        .contains("# rbac-synth diff: serviceaccount kube-flannel/flannel\n\nObserved 2023-01-27")
        .contains("> **Warning:** the observation window is only 4m4s")
        .contains("## Unused: not used in the 4-minute window");
    assertThat(diff("text", "--min-window", "4m").out()).doesNotContain("WARNING: the observation");
  }

  @Test
  void diffSummaryOnStderrStatesTheWindow() {
    Cli.Result r =
        Cli.run(
            "diff",
            "-f",
            HkermaAuditLog.jsonl().toString(),
            "--serviceaccount",
            "kube-flannel:flannel",
            "--rbac",
            TestData.FLANNEL);
    assertThat(r.err()).contains("rbac-synth: observed " + HKERMA_WINDOW);
    assertThat(r.err()).contains("warning: the observation window is only 4m4s");
  }
}
