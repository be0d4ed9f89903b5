package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Cli;
import dev.rbacsynth.HkermaAuditLog;
import dev.rbacsynth.Reports;
import dev.rbacsynth.TestData;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * review8 F1: a ledger merged from two real logs five years apart (the hkerma cluster's 4 minutes
 * of 2023 as cluster prod, demo.log's 34 minutes of 2017 as cluster dev) spans 1963 days but
 * watched two of them. The short-window warning must not be switched off by the extent alone.
 */
class MergedLedgerWindowTest {

  @TempDir static Path dir;
  private static Path fleet;
  private static Path prod;

  @BeforeAll
  static void collect() {
    prod = dir.resolve("prod.json");
    Path dev = dir.resolve("dev.json.gz");
    fleet = dir.resolve("fleet.json");
    String log = HkermaAuditLog.jsonl().toString();
    assertThat(
            Cli.run("collect", "-q", "-f", log, "--cluster", "prod", "--output-file", "" + prod)
                .exit())
        .isZero();
    assertThat(
            Cli.run(
                    "collect",
                    "-q",
                    "-f",
                    "testdata/demo.log",
                    "--cluster",
                    "dev",
                    "--output-file",
                    "" + dev)
                .exit())
        .isZero();
    assertThat(
            Cli.run(
                    "collect",
                    "-q",
                    "--usage",
                    "" + prod,
                    "--usage",
                    "" + dev,
                    "--output-file",
                    "" + fleet)
                .exit())
        .isZero();
  }

  private static Cli.Result diff(Path ledger, String format, String... more) {
    String[] head = {
      "diff",
      "-q",
      "--usage",
      ledger.toString(),
      "--rbac",
      TestData.FLANNEL,
      "--serviceaccount",
      "kube-flannel:flannel",
      "-o",
      format
    };
    String[] all = new String[head.length + more.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(more, 0, all, head.length, more.length);
    return Cli.run(all);
  }

  @Test
  void aFleetLedgerOfTwoDaysFiveYearsApartIsAShortWindow() {
    Cli.Result r = diff(fleet, "text");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("(1963d22h), 16600 audit event(s) on 2 of 1965 UTC days; cluster dev:")
        .contains(
            "WARNING: the audit events fall on only 2 of the window's 1965 UTC days (nothing was"
                + " collected on the others); cluster dev was observed only 33m59s; cluster prod"
                + " was observed only 4m4s, under --min-window 7d: unused findings");

    JsonNode observation = Reports.json(diff(fleet, "json").out()).get("observation");
    assertThat(observation.get("seconds").asLong()).isEqualTo(169_684_627L);
    assertThat(observation.get("warning").asString()).startsWith("the audit events fall on only 2");
  }

  @Test
  void theWindowIsLongEnoughOnlyWhenTheDaysWithEventsAre() {
    assertThat(diff(fleet, "text", "--min-window", "2d").out()).doesNotContain("fall on only");
    assertThat(diff(fleet, "text", "--min-window", "3d").out()).contains("fall on only 2");
  }

  @Test
  void oneClustersLedgerReadsAsItsLog() {
    String fromLedger = diff(prod, "text").out();
    assertThat(fromLedger)
        .contains("WARNING: the observation window is only 4m4s, under --min-window 7d")
        .doesNotContain("UTC days")
        .doesNotContain("cluster prod was observed");
  }

  /** review8 F8: a window cuts each cluster too, not only the whole ledger. */
  @Test
  void aWindowCutsEachClusterByItsDays() throws Exception {
    JsonNode ledger = Reports.json(java.nio.file.Files.readString(fleet)).get("observation");
    JsonNode clusters = ledger.get("clusters");
    assertThat(clusters).hasSize(2);
    for (JsonNode c : clusters) {
      // with two clusters each says on which days its events fell, and they add up
      long sum = 0;
      for (JsonNode d : c.get("days")) {
        sum += d.get("events").asLong();
      }
      assertThat(sum).as(c.get("name").asString()).isEqualTo(c.get("events").asLong());
    }
    long prodEvents =
        Reports.json(java.nio.file.Files.readString(prod))
            .get("observation")
            .get("events")
            .asLong();

    JsonNode since = Reports.json(diff(fleet, "json", "--since", "2023-01-01T00:00:00Z").out());
    JsonNode window = since.get("observation");
    assertThat(window.get("events").asLong()).isEqualTo(prodEvents);
    assertThat(window.get("clusters").propertyNames()).containsExactly("prod");
    assertThat(window.get("clusters").get("prod").get("events").asLong()).isEqualTo(prodEvents);

    JsonNode until =
        Reports.json(diff(fleet, "json", "--until", "2018-01-01T00:00:00Z").out())
            .get("observation");
    assertThat(until.get("clusters").propertyNames()).containsExactly("dev");
    assertThat(until.get("clusters").get("dev").get("events").asLong())
        .isEqualTo(until.get("events").asLong())
        .isEqualTo(ledger.get("events").asLong() - prodEvents);
  }

  @Test
  void aLedgerOfOneClusterWritesNoClusterDays() throws Exception {
    JsonNode clusters =
        Reports.json(java.nio.file.Files.readString(prod)).get("observation").get("clusters");
    assertThat(clusters).hasSize(1);
    assertThat(clusters.get(0).has("days")).isFalse();
  }
}
