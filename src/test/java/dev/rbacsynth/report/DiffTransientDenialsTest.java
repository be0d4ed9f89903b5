package dev.rbacsynth.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Cli;
import dev.rbacsynth.HkermaAuditLog;
import dev.rbacsynth.Reports;
import dev.rbacsynth.TestData;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * diff marks transient denials as generate's denied report does (one definition, {@code
 * Usage.allowedAfter}): in the real hkerma log the scheduler is refused 14 lists in the first
 * second (the apiserver's RBAC caches warming) and allowed each a few seconds later. Reviewed
 * against RBAC that grants the scheduler nothing (flannel's), all its requests are missing; the 14
 * carry their last denial and the transient mark in every format.
 */
class DiffTransientDenialsTest {

  private static Cli.Result diff(String format) {
    return Cli.run(
        "diff",
        "-f",
        HkermaAuditLog.jsonl().toString(),
        "-q",
        "-o",
        format,
        "--user",
        "system:kube-scheduler",
        "--rbac",
        TestData.FLANNEL);
  }

  @Test
  void jsonCarriesTheLastDenialAndTheTransientMark() {
    JsonNode report = Reports.json(diff("json").out());
    List<JsonNode> missing = Reports.list(report.get("missing"));
    List<JsonNode> transients =
        missing.stream().filter(m -> m.get("transient").asBoolean()).toList();
    assertThat(transients).hasSize(14);
    JsonNode csidrivers =
        transients.stream()
            .filter(m -> m.get("resource").asString().equals("csidrivers"))
            .findFirst()
            .orElseThrow();
    // the same times as generate's denied report (TransientDenialsTest)
    assertThat(csidrivers.get("lastDenied").asString()).isEqualTo("2023-01-27T18:28:08.139829Z");
    assertThat(csidrivers.get("allowedLater").asString()).isEqualTo("2023-01-27T18:28:14.275506Z");
    assertThat(csidrivers.get("display").asString())
        .contains(
            "last denied at 2023-01-27T18:28:08.139829Z; transient: allowed later, at"
                + " 2023-01-27T18:28:14.275506Z");
    // a request that was only ever allowed is missing too, but neither denied nor transient
    assertThat(missing)
        .anySatisfy(
            m -> {
              assertThat(m.get("denied").asBoolean()).isFalse();
              assertThat(m.get("lastDenied").isNull()).isTrue();
              assertThat(m.get("transient").asBoolean()).isFalse();
              assertThat(m.get("allowedLater").isNull()).isTrue();
            });
  }

  @Test
  void textMarkdownAndSarifShowIt() {
    String text = diff("text").out();
    assertThat(text)
        .contains("of them transient (denied, then allowed later in the log")
        .contains("LAST DENIED")
        .containsPattern(
            "list csidrivers \\(storage.k8s.io\\) \\(cluster-wide\\) .*2023-01-27T18:28:08.139829Z"
                + " +transient: allowed at 2023-01-27T18:28:14.275506Z");
    String md = diff("markdown").out();
    assertThat(md)
        .contains("| in log | last denied | note |")
        .containsPattern(
            "\\| `list csidrivers \\(storage.k8s.io\\) \\(cluster-wide\\)` \\|.*\\|"
                + " 2023-01-27T18:28:08.139829Z \\| transient: allowed at"
                + " 2023-01-27T18:28:14.275506Z \\|");
    JsonNode sarif = Reports.json(diff("sarif").out());
    List<JsonNode> results = Reports.list(sarif.get("runs").get(0).get("results"));
    List<JsonNode> transients =
        results.stream()
            .filter(x -> x.get("properties").get("transient").asBoolean(false))
            .toList();
    assertThat(transients)
        .hasSize(14)
        .allSatisfy(
            x -> {
              assertThat(x.get("ruleId").asString()).isEqualTo("missing");
              assertThat(x.get("properties").get("lastDenied").asString()).startsWith("2023-");
              assertThat(x.get("properties").get("allowedLater").asString()).startsWith("2023-");
              assertThat(x.get("message").get("text").asString()).contains("transient");
            });
  }
}
