package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Cli;
import dev.rbacsynth.Reports;
import dev.rbacsynth.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The CI gate on real data (gatekeeper's published RBAC against its real usage in the hkerma log):
 * several reports in one run, --fail-on risky:<kind>, and a baseline round trip with reasons and
 * expiry dates.
 */
class DiffGateTest {

  private static final String SA = "gatekeeper-system:gatekeeper-admin";
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  @TempDir Path dir;

  private static Cli.Result diff(String format, String... more) {
    return DiffSarifTest.diff(SA, format, TestData.GATEKEEPER, more);
  }

  @Test
  void severalReportsInOneRunEqualSeparateRuns() throws IOException {
    Path sarif = dir.resolve("rbac.sarif");
    Path md = dir.resolve("comment.md");
    Path json = dir.resolve("diff.json");
    Cli.Result r =
        diff(
            "text",
            "--report",
            "sarif=" + sarif,
            "--report",
            "markdown=" + md,
            "--report",
            "json=" + json);
    assertThat(r.out()).isEqualTo(diff("text").out());
    assertThat(Files.readString(sarif)).isEqualTo(diff("sarif").out());
    assertThat(Files.readString(md)).isEqualTo(diff("markdown").out());
    assertThat(Files.readString(json)).isEqualTo(diff("json").out());
  }

  @Test
  void aBadReportOptionIsAUsageError() {
    Cli.Result r = diff("text", "--report", "pdf=x.pdf");
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE_OR_INPUT);
    assertThat(r.err())
        .contains("--report format must be one of text, json, markdown, sarif, github");
    assertThat(diff("text", "--report", "sarif").err()).contains("--report must be FORMAT=PATH");
  }

  @Test
  void everyJsonFindingCarriesADisplayString() {
    JsonNode report = Reports.json(diff("json").out());
    for (String kind : List.of("missing", "unused", "risky")) {
      for (JsonNode f : Reports.list(report.get(kind))) {
        assertThat(f.get("display").asString())
            .contains("serviceaccount gatekeeper-system/gatekeeper-admin");
        assertThat(f.get("fingerprint").asString()).hasSize(32);
      }
    }
    assertThat(Reports.list(report.get("risky")))
        .extracting(f -> f.get("display").asString())
        .anySatisfy(
            d ->
                assertThat(d)
                    .startsWith(
                        "ClusterRole gatekeeper-manager-role rules[0] (through ClusterRoleBinding gatekeeper-manager-rolebinding) gives serviceaccount gatekeeper-system/gatekeeper-admin wildcard: "));
  }

  @Test
  void failOnASingleRiskKind() {
    assertThat(diff("text", "--fail-on", "risky:wildcard").exit()).isEqualTo(ExitCodes.FINDINGS);
    assertThat(diff("text", "--fail-on", "risky:wildcard,secrets-read-cluster-wide").exit())
        .isEqualTo(ExitCodes.FINDINGS);
    // gatekeeper-admin holds no impersonate grant
    assertThat(diff("text", "--fail-on", "risky:impersonate").exit()).isEqualTo(ExitCodes.OK);
    Cli.Result bad = diff("text", "--fail-on", "risky:wildcards");
    assertThat(bad.exit()).isEqualTo(ExitCodes.USAGE_OR_INPUT);
    assertThat(bad.err()).contains("unknown risk \"wildcards\"");
  }

  @Test
  void baselineRoundTripWithReasonAndExpiry() throws IOException {
    Path baseline = dir.resolve("rbac-baseline.json");
    Cli.Result written =
        diff("text", "--fail-on", "risky,unused", "--write-baseline", baseline.toString());
    assertThat(written.exit()).isEqualTo(ExitCodes.OK);
    JsonNode file = MAPPER.readTree(Files.readString(baseline));
    List<JsonNode> entries = Reports.list(file.get("findings"));
    JsonNode report = Reports.json(diff("json").out());
    int findings =
        report.get("missing").size() + report.get("unused").size() + report.get("risky").size();
    assertThat(entries).hasSize(findings).isNotEmpty();

    // Everything is accepted: the gate passes, the findings are still reported, marked baselined.
    Cli.Result accepted =
        diff("json", "--fail-on", "risky,unused", "--baseline", baseline.toString());
    assertThat(accepted.exit()).isEqualTo(ExitCodes.OK);
    JsonNode gated = Reports.json(accepted.out());
    assertThat(Reports.list(gated.get("risky")))
        .isNotEmpty()
        .allSatisfy(f -> assertThat(f.get("gate").asString()).isEqualTo("baselined"));

    // A waiver with a reason shows in SARIF as a suppression; an expired one fails again.
    ObjectNode wildcard = null;
    for (JsonNode e : entries) {
      if (e.get("ruleId").asString().equals("risky/wildcard")) {
        wildcard = (ObjectNode) e;
      }
    }
    assertThat(wildcard).isNotNull();
    String waived = wildcard.get("fingerprint").asString();
    wildcard.put("reason", "gatekeeper audits every kind; accepted by the platform team");
    Files.writeString(baseline, MAPPER.writeValueAsString(file));
    String sarif = diff("sarif", "--fail-on", "risky", "--baseline", baseline.toString()).out();
    assertThat(sarif)
        .contains(
            "\"justification\" : \"gatekeeper audits every kind; accepted by the platform team\"");

    wildcard.put("expires", "2020-01-31");
    Files.writeString(baseline, MAPPER.writeValueAsString(file));
    Cli.Result expired = diff("json", "--fail-on", "risky", "--baseline", baseline.toString());
    assertThat(expired.exit()).isEqualTo(ExitCodes.FINDINGS);
    assertThat(Reports.list(Reports.json(expired.out()).get("risky")))
        .filteredOn(f -> f.get("ruleId").asString().equals("risky/wildcard"))
        .extracting(f -> f.get("fingerprint").asString() + " " + f.get("gate").asString())
        .contains(waived + " expired")
        .filteredOn(s -> !s.startsWith(waived))
        .allSatisfy(s -> assertThat(s).endsWith(" baselined"));

    wildcard.put("expires", "2999-12-31");
    Files.writeString(baseline, MAPPER.writeValueAsString(file));
    assertThat(diff("json", "--fail-on", "risky", "--baseline", baseline.toString()).exit())
        .isEqualTo(ExitCodes.OK);

    // Rewriting the baseline keeps the reason and the date.
    Path rewritten = dir.resolve("again.json");
    diff("text", "--baseline", baseline.toString(), "--write-baseline", rewritten.toString());
    assertThat(Files.readString(rewritten))
        .contains("\"reason\" : \"gatekeeper audits every kind; accepted by the platform team\"")
        .contains("\"expires\" : \"2999-12-31\"");
  }

  @Test
  void aFindingMissingFromTheBaselineFails() throws IOException {
    Path baseline = dir.resolve("b.json");
    diff("text", "--fail-on", "risky", "--write-baseline", baseline.toString());
    ObjectNode file = (ObjectNode) MAPPER.readTree(Files.readString(baseline));
    tools.jackson.databind.node.ArrayNode kept = MAPPER.createArrayNode();
    for (JsonNode e : file.get("findings")) {
      if (!e.get("ruleId").asString().equals("risky/secrets-read-cluster-wide")) {
        kept.add(e);
      }
    }
    file.set("findings", kept);
    Files.writeString(baseline, MAPPER.writeValueAsString(file));
    Cli.Result r = diff("text", "--fail-on", "risky", "--baseline", baseline.toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.FINDINGS);
  }

  @Test
  void aBrokenBaselineIsAOneLineError() throws IOException {
    Path baseline = dir.resolve("b.json");
    Files.writeString(
        baseline, "{\"findings\": [{\"fingerprint\": \"x\", \"expires\": \"soon\"}]}");
    Cli.Result r = diff("text", "--baseline", baseline.toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE_OR_INPUT);
    assertThat(r.err()).contains(baseline + ": findings[0].expires must be a date YYYY-MM-DD");
  }

  @Test
  void aBaselineOfAnotherVersionOrWithoutAStringFingerprintIsRefused() throws IOException {
    Path baseline = dir.resolve("b.json");
    Files.writeString(baseline, "{\"version\": 2, \"findings\": []}");
    Cli.Result r = diff("text", "--baseline", baseline.toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE_OR_INPUT);
    assertThat(r.err())
        .contains(baseline + ": baseline version 2 is not one this rbac-synth reads (version 1");
    Files.writeString(baseline, "{\"version\": 1, \"findings\": [{\"fingerprint\": 1}]}");
    Cli.Result number = diff("text", "--baseline", baseline.toString());
    assertThat(number.exit()).isEqualTo(ExitCodes.USAGE_OR_INPUT);
    assertThat(number.err()).contains(baseline + ": findings[0] has no fingerprint (a string");
  }
}
