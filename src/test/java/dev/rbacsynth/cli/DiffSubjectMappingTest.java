package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Cli;
import dev.rbacsynth.HkermaAuditLog;
import dev.rbacsynth.Reports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The official cert-manager v1.11.5 manifests (service accounts cert-manager/cert-manager*)
 * reviewed against the real hkerma log, where Helm installed them as release my-cert-manager
 * (cert-manager/my-cert-manager*): without a mapping nothing reaches the subject and the report
 * says what was probably meant; with --map-subject the real findings appear.
 */
class DiffSubjectMappingTest {

  static final String CERT_MANAGER = "testdata/rbac/cert-manager-static-v1.11.5/cert-manager.yaml";
  static final String MAP = "cert-manager:cert-manager*=cert-manager:my-cert-manager*";

  private static Cli.Result diff(String sa, String format, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "diff",
                "-f",
                HkermaAuditLog.jsonl().toString(),
                "--rbac",
                CERT_MANAGER,
                "-o",
                format,
                "--serviceaccount",
                sa));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void withoutAMappingNothingReachesAndTheReportSaysWhatWasMeant() {
    Cli.Result r = diff("cert-manager:my-cert-manager-cainjector", "json", "-q");
    JsonNode report = Reports.json(r.out());
    assertThat(report.get("summary").get("missing").asInt()).isEqualTo(15);
    assertThat(Reports.list(report.get("warnings")))
        .extracting(JsonNode::asString)
        .anySatisfy(
            w ->
                assertThat(w)
                    .startsWith(
                        "no binding of the given RBAC names serviceaccount cert-manager/my-cert-manager-cainjector")
                    .contains("did you mean serviceaccount cert-manager/cert-manager-cainjector")
                    .endsWith(
                        "--map-subject cert-manager:cert-manager-cainjector=cert-manager:my-cert-manager-cainjector"));
  }

  @Test
  void mappedTheRealFindingsAppear() {
    Cli.Result r = diff("cert-manager:my-cert-manager-cainjector", "json", "--map-subject", MAP);
    assertThat(r.err())
        .contains("warning: --map-subject " + MAP + " renamed 13 binding subject(s)");
    JsonNode report = Reports.json(r.out());
    // The published RBAC allows everything the cainjector did in the log ...
    assertThat(report.get("summary").get("missing").asInt()).isZero();
    // ... through its ClusterRoleBinding and the leader-election RoleBinding in kube-system,
    assertThat(Reports.list(report.get("unused")))
        .extracting(
            u ->
                u.get("binding").get("name").asString()
                    + "/"
                    + u.get("ruleIndex").asInt()
                    + " "
                    + u.get("status").asString())
        .containsExactly(
            "cert-manager-cainjector/0 unused",
            "cert-manager-cainjector/1 partly-unused",
            "cert-manager-cainjector/2 partly-unused",
            "cert-manager-cainjector/3 partly-unused",
            "cert-manager-cainjector/4 partly-unused",
            "cert-manager-cainjector/5 partly-unused",
            "cert-manager-cainjector:leaderelection/0 partly-unused",
            "cert-manager-cainjector:leaderelection/1 unused");
    // ... and reads secrets in every namespace, used or not.
    assertThat(Reports.risks(report))
        .containsExactly("cert-manager-cainjector/1 secrets-read-cluster-wide");
    assertThat(Reports.list(report.get("warnings")))
        .extracting(JsonNode::asString)
        .noneMatch(w -> w.startsWith("no binding"));
  }

  @Test
  void mappedSarifPointsIntoTheOfficialManifest() throws IOException {
    Cli.Result r =
        diff("cert-manager:my-cert-manager-cainjector", "sarif", "-q", "--map-subject", MAP);
    assertThat(DiffSarifTest.validate(r.out())).isEmpty();
    List<String> lines = Files.readAllLines(Path.of(CERT_MANAGER));
    for (JsonNode result : Reports.list(Reports.json(r.out()).get("runs").get(0).get("results"))) {
      JsonNode loc = result.get("locations").get(0).get("physicalLocation");
      assertThat(loc.get("artifactLocation").get("uri").asString()).isEqualTo(CERT_MANAGER);
      int line = loc.get("region").get("startLine").asInt();
      assertThat(lines.get(line - 1))
          .as("line " + line)
          .matches("^\\s*- (apiGroups|verbs|resources).*");
    }
  }

  @Test
  void aMalformedMappingIsAUsageError() {
    Cli.Result r =
        diff("cert-manager:my-cert-manager-cainjector", "text", "--map-subject", "cert-manager=x");
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE_OR_INPUT);
    assertThat(r.err()).contains("--map-subject cert-manager=x: FROM and TO must both be NS:NAME");
  }
}
