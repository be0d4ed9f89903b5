package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Cli;
import dev.rbacsynth.Reports;
import dev.rbacsynth.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Findings of the session-8 user review (review8) of {@code diff}, on real data: the ingress-nginx
 * v1.5.1 manifests name the service account {@code ingress-nginx:ingress-nginx}, while the Helm
 * release in the hkerma log runs {@code ingress-nginx:my-ingress-nginx}, so the manifests' subject
 * made no request at all.
 */
class DiffReviewFindingsTest {

  private static final String UNSEEN = "ingress-nginx:ingress-nginx";

  @TempDir Path dir;

  private static Cli.Result diff(String serviceAccount, String format, String... more) {
    return DiffSarifTest.diff(serviceAccount, format, TestData.INGRESS_NGINX, more);
  }

  @Test
  void aSubjectWithoutEventsStillGetsItsReportInEveryFile() throws IOException {
    Path markdown = dir.resolve("comment.md");
    Path json = dir.resolve("diff.json");
    Cli.Result r =
        diff(UNSEEN, "sarif", "--report", "markdown=" + markdown, "--report", "json=" + json);

    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.NO_MATCH);
    assertThat(r.err())
        .contains("No audit events matched serviceaccount ingress-nginx/ingress-nginx");
    assertThat(DiffSarifTest.validate(r.out())).isEmpty();
    JsonNode results = Reports.json(r.out()).get("runs").get(0).get("results");
    assertThat(Reports.field(results, "ruleId")).contains("risky/secrets-read-cluster-wide");
    assertThat(Files.readString(markdown))
        .contains("not observed: no audit event of serviceaccount ingress-nginx/ingress-nginx");
    JsonNode report = Reports.json(Files.readString(json));
    assertThat(report.get("events").asLong()).isZero();
    assertThat(Reports.list(report.get("unused"))).isEmpty();
    assertThat(Reports.risks(report)).anyMatch(risk -> risk.endsWith(" secrets-read-cluster-wide"));
  }

  @Test
  void aRiskyGrantOfASubjectWithoutEventsFailsTheGate() {
    assertThat(diff(UNSEEN, "text", "--fail-on", "risky").exit()).isEqualTo(ExitCodes.FINDINGS);
    assertThat(diff(UNSEEN, "text", "--fail-on", "missing").exit()).isEqualTo(ExitCodes.NO_MATCH);
    Cli.Result typo = diff("ingress-nginx:my-ingres-nginx", "text");
    assertThat(typo.exit()).isEqualTo(ExitCodes.NO_MATCH);
    assertThat(typo.err()).contains("did you mean --serviceaccount ingress-nginx:my-ingress-nginx");
  }

  @Test
  void aReportFileThatIsAlsoTheOutputFileIsRefused() {
    Path same = dir.resolve("diff.json");
    Cli.Result r =
        diff(
            "ingress-nginx:my-ingress-nginx",
            "text",
            "--report",
            "json=" + same,
            "--output-file",
            same.toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE_OR_INPUT);
    assertThat(r.err())
        .contains("--report json=" + same + " is the same file as --output-file " + same)
        .doesNotContain("Exception");
    assertThat(same).doesNotExist();

    Cli.Result baseline =
        diff(
            "ingress-nginx:my-ingress-nginx",
            "text",
            "--report",
            "sarif=" + same,
            "--write-baseline",
            same.toString());
    assertThat(baseline.exit()).isEqualTo(ExitCodes.USAGE_OR_INPUT);
    assertThat(baseline.err()).contains("is the same file as --report sarif=" + same);
  }

  @Test
  void manifestsFromStandardInputGetTheFileNamedByStdinFilename() throws IOException {
    byte[] flannel = Files.readAllBytes(Path.of(TestData.FLANNEL));
    String log = dev.rbacsynth.HkermaAuditLog.jsonl().toString();
    String[] args = {
      "diff",
      "-q",
      "-f",
      log,
      "--rbac",
      "-",
      "--serviceaccount",
      "kube-flannel:flannel",
      "-o",
      "sarif"
    };
    Cli.Result unnamed = Cli.runWithStdin(flannel, args);
    assertThat(unnamed.err()).contains("name a file with --stdin-filename PATH");
    JsonNode bare = Reports.json(unnamed.out()).get("runs").get(0).get("results");
    assertThat(Reports.list(bare)).hasSize(3).allMatch(result -> !result.has("locations"));

    String[] named = java.util.Arrays.copyOf(args, args.length + 2);
    named[args.length] = "--stdin-filename";
    named[args.length + 1] = "deploy/kube-flannel.yml";
    Cli.Result r = Cli.runWithStdin(flannel, named);
    assertThat(r.err()).doesNotContain("--stdin-filename");
    assertThat(DiffSarifTest.validate(r.out())).isEmpty();
    JsonNode results = Reports.json(r.out()).get("runs").get(0).get("results");
    assertThat(Reports.list(results))
        .extracting(
            result ->
                result.at("/locations/0/physicalLocation/artifactLocation/uri").asString()
                    + ":"
                    + result.at("/locations/0/physicalLocation/region/startLine").asInt())
        .as("the rule lines of the file, read from the stream")
        .containsExactly(
            "deploy/kube-flannel.yml:14",
            "deploy/kube-flannel.yml:20",
            "deploy/kube-flannel.yml:28");

    Cli.Result withoutStdin =
        diff("ingress-nginx:my-ingress-nginx", "text", "--stdin-filename", "x.yaml");
    assertThat(withoutStdin.exit()).isEqualTo(ExitCodes.USAGE_OR_INPUT);
    assertThat(withoutStdin.err()).contains("--stdin-filename names the manifests of --rbac -");
  }

  @Test
  void aRoleTheApiserverRefusesGrantsNothingAndIsNamedWithItsLine() throws IOException {
    // flannel's real manifest, with the nodes/status rule broken as a pull request could break it:
    // a rule may not mix resources and non-resource URLs, so `kubectl apply` fails for the role
    String real = Files.readString(Path.of(TestData.FLANNEL));
    String broken =
        real.replace(
            "  - nodes/status\n  verbs:\n  - patch\n",
            "  - nodes/status\n  nonResourceURLs:\n  - /healthz\n  verbs:\n  - patch\n");
    assertThat(broken).isNotEqualTo(real);
    Path file = Files.writeString(dir.resolve("kube-flannel.yml"), broken);

    Cli.Result canI =
        Cli.run(
            "can-i",
            "--rbac",
            file.toString(),
            "--as",
            "system:serviceaccount:kube-flannel:flannel",
            "list",
            "nodes");
    assertThat(canI.exit()).as("the ClusterRole never exists").isEqualTo(1);
    assertThat(canI.err())
        .contains(
            "warning: "
                + file
                + ":28: ClusterRole flannel rules[2]: rules cannot apply to both regular resources"
                + " and non-resource URLs: the apiserver refuses this ClusterRole, so it grants"
                + " nothing here");
    assertThat(
            Cli.run(
                    "can-i",
                    "--rbac",
                    TestData.FLANNEL,
                    "--as",
                    "system:serviceaccount:kube-flannel:flannel",
                    "list",
                    "nodes")
                .exit())
        .isZero();

    Cli.Result diff =
        Cli.diff(
            dev.rbacsynth.HkermaAuditLog.jsonl().toString(),
            "kube-flannel:flannel",
            "json",
            java.util.List.of(file.toString()));
    assertThat(diff.exit()).isEqualTo(ExitCodes.FINDINGS);
    assertThat(Reports.json(diff.out()).get("summary").get("missing").asInt()).isEqualTo(2);
  }

  @Test
  void warningsAboutManifestObjectsNameTheirFileAndLine() {
    // flannel's release and master both define ClusterRole and ClusterRoleBinding flannel
    Cli.Result r =
        Cli.run(
            "can-i",
            "--rbac",
            TestData.FLANNEL,
            "--rbac",
            TestData.FLANNEL_MASTER,
            "--as",
            "system:serviceaccount:kube-flannel:flannel",
            "list",
            "nodes");
    assertThat(r.exit()).isZero();
    assertThat(r.err())
        .contains(
            "warning: defined more than once, the last definition is used: ClusterRole flannel (the"
                + " one at "
                + TestData.FLANNEL_MASTER
                + ":");
  }
}
