package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Cli;
import dev.rbacsynth.HkermaAuditLog;
import dev.rbacsynth.Reports;
import dev.rbacsynth.TestData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Findings that never mislead, on the real cluster RBAC (bootstrap policy, flannel, gatekeeper,
 * kube-proxy and cert-manager under its Helm names) reviewed for every bound subject against the
 * real hkerma log.
 */
class DiffFindingsTest {

  private static JsonNode all;

  @BeforeAll
  static void review() {
    Cli.Result r =
        Cli.run(
            "diff",
            "-f",
            HkermaAuditLog.jsonl().toString(),
            "-q",
            "-o",
            "json",
            "--all-subjects",
            "--fail-on",
            "none",
            "--rbac",
            TestData.BOOTSTRAP,
            "--rbac",
            TestData.FLANNEL,
            "--rbac",
            TestData.GATEKEEPER,
            "--rbac",
            TestData.KUBE_PROXY_BINDING,
            "--rbac",
            DiffSubjectMappingTest.CERT_MANAGER,
            "--map-subject",
            DiffSubjectMappingTest.MAP);
    assertThat(r.exit()).as(r.err()).isZero();
    all = Reports.json(r.out());
  }

  private static String subject(JsonNode report) {
    JsonNode s = report.get("subject");
    return s.get("kind").asString()
        + " "
        + s.get("namespace").asString()
        + "/"
        + s.get("name").asString();
  }

  /**
   * The authorizer decides what the suggestion adds (grants the existing RBAC does not allow for
   * the subject); each of them must be a request the subject really made in that scope, which is
   * then one of its missing requests.
   */
  @Test
  void theSuggestionNeverAddsAnUnobservedUngrantedPermission() {
    List<String> checked = new ArrayList<>();
    for (JsonNode report : Reports.list(all.get("reports"))) {
      List<String> missing = new ArrayList<>();
      for (JsonNode m : Reports.list(report.get("missing"))) {
        String resource =
            m.get("resource").asString()
                + (m.get("subresource").asString().isEmpty()
                    ? ""
                    : "/" + m.get("subresource").asString());
        missing.add(
            String.join(
                " ",
                m.get("verb").asString(),
                m.get("apiGroup").asString(),
                resource,
                m.get("name").asString(),
                m.get("nonResourceURL").asString(),
                m.get("namespace").asString()));
      }
      for (JsonNode change : Reports.list(report.get("suggested").get("added"))) {
        for (JsonNode g : Reports.list(change.get("grants"))) {
          String grant =
              String.join(
                  " ",
                  g.get("verb").asString(),
                  g.get("apiGroup").asString(),
                  g.get("resource").asString(),
                  g.get("resourceName").asString(),
                  g.get("nonResourceURL").asString(),
                  change.get("scope").asString());
          assertThat(missing).as(subject(report) + " adds " + grant).contains(grant);
          checked.add(grant);
        }
      }
    }
    assertThat(Reports.list(all.get("reports"))).hasSizeGreaterThan(40);
    assertThat(checked).as("some suggestions do add the observed, missing requests").isNotEmpty();
  }

  @Test
  void noMissingFindingIsReportedUnderAGroup() {
    List<JsonNode> groups =
        Reports.list(all.get("reports")).stream()
            .filter(r -> r.get("subject").get("kind").asString().equals("Group"))
            .toList();
    assertThat(groups)
        .extracting(g -> g.get("subject").get("name").asString())
        .contains("system:authenticated", "system:masters");
    assertThat(groups)
        .allSatisfy(g -> assertThat(g.get("missing")).isEmpty())
        .allSatisfy(g -> assertThat(g.get("suggested").get("added")).isEmpty());
  }

  @Test
  void breakGlassAndUnobservedSubjectsAreNeverSuggestedForRemoval() {
    for (JsonNode report : Reports.list(all.get("reports"))) {
      boolean masters =
          report.get("subject").get("kind").asString().equals("Group")
              && report.get("subject").get("name").asString().equals("system:masters");
      if (masters || report.get("events").asLong() == 0) {
        assertThat(report.get("suggested").get("removed")).as(subject(report)).isEmpty();
        assertThat(
                report.get("unused").size() == 0 || !masters && report.get("events").asLong() > 0)
            .as(subject(report) + ": no unused finding without events")
            .isTrue();
      }
    }
    JsonNode masters =
        Reports.list(all.get("reports")).stream()
            .filter(r -> r.get("subject").get("name").asString().equals("system:masters"))
            .findFirst()
            .orElseThrow();
    assertThat(Reports.list(masters.get("warnings")))
        .extracting(JsonNode::asString)
        .anySatisfy(w -> assertThat(w).contains("break-glass"))
        .anySatisfy(w -> assertThat(w).startsWith("not observed"));
  }
}
