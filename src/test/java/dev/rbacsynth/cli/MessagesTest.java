package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Cli;
import dev.rbacsynth.HkermaAuditLog;
import dev.rbacsynth.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Messages that name the real problem (issue 14, section 7): "did you mean" for mistyped commands,
 * options and subjects, the service-account forms people paste, unrendered Helm templates, an input
 * without audit events (exit 2) against a subject without events (exit 3), and a result with no
 * rule, which says why and is still a valid, empty List.
 */
class MessagesTest {
  private static final String DEMO = "testdata/demo.log";
  private static final String HELM_TEMPLATE = "testdata/helm-template/grafana-6.50.2-role.yaml";

  @Test
  void aMistypedCommandOrOptionGetsTheNearestOne() {
    Cli.Result command = Cli.run("generat", "-f", DEMO, "--user", "alice");
    assertThat(command.exit()).isEqualTo(2);
    assertThat(command.err())
        .startsWith("error: unknown command \"generat\": did you mean generate?\n");
    Cli.Result option = Cli.run("generate", "-f", DEMO, "--usr", "alice");
    assertThat(option.exit()).isEqualTo(2);
    assertThat(option.err()).startsWith("error: unknown option --usr: did you mean --user?\n");
    // a mistyped required option: picocli reports the required one missing first
    Cli.Result required =
        Cli.run("diff", "--rbca", TestData.FLANNEL, "-f", DEMO, "--user", "alice");
    assertThat(required.exit()).isEqualTo(2);
    assertThat(required.err()).startsWith("error: unknown option --rbca: did you mean --rbac?\n");
    assertThat(Cli.run("generate", "-f", DEMO, "--user", "alice", "--Namespace", "ns1").err())
        .startsWith("error: unknown option --Namespace: did you mean --namespace?\n");
    Cli.Result nothingNear = Cli.run("frobnicate");
    assertThat(nothingNear.exit()).isEqualTo(2);
    assertThat(nothingNear.err())
        .startsWith(
            "error: unknown command \"frobnicate\": the commands are can-i, collect, diff,"
                + " generate, help, serve, subjects\n");
  }

  @Test
  void aSubjectWithoutEventsGetsTheNearestSubjectsOfTheInput() {
    Cli.Result typo = Cli.run("generate", "-f", DEMO, "--user", "alicee");
    assertThat(typo.exit()).isEqualTo(3);
    assertThat(typo.out()).isEmpty();
    assertThat(typo.err())
        .isEqualTo("No audit events matched user alicee; did you mean --user alice?\n");
    // two letters swapped, the commonest typo, is one edit away
    assertThat(Cli.run("generate", "-f", DEMO, "--user", "alcie").err())
        .isEqualTo("No audit events matched user alcie; did you mean --user alice?\n");
    assertThat(Cli.run("generate", "-f", DEMO, "--usre", "alice").err())
        .startsWith("error: unknown option --usre: did you mean --user ");
    // a service account's name given as a user
    assertThat(Cli.run("generate", "-f", DEMO, "--user", "sa1").err())
        .isEqualTo("No audit events matched user sa1; did you mean --serviceaccount ns1:sa1?\n");
    // the real Helm release prefix: the chart's name against the release's service accounts
    Cli.Result release =
        Cli.run(
            "diff",
            "-f",
            HkermaAuditLog.jsonl().toString(),
            "--rbac",
            "testdata/rbac/cert-manager-static-v1.11.5",
            "--serviceaccount",
            "cert-manager:cert-manager-cainjector",
            "-q");
    assertThat(release.exit()).isEqualTo(3);
    assertThat(release.err())
        .isEqualTo(
            "No audit events matched serviceaccount cert-manager/cert-manager-cainjector; did you"
                + " mean --serviceaccount cert-manager:my-cert-manager-cainjector or"
                + " --serviceaccount cert-manager:my-cert-manager-webhook?\n");
    // standard input cannot be read twice: the subjects command is named instead
    byte[] demo = readDemo();
    Cli.Result stdin = Cli.runWithStdin(demo, "generate", "-f", "-", "--user", "alicee");
    assertThat(stdin.exit()).isEqualTo(3);
    assertThat(stdin.err())
        .isEqualTo(
            "No audit events matched user alicee (rbac-synth subjects -f ... lists the input's"
                + " subjects)\n");
  }

  @Test
  void inputWithoutAnyAuditEventIsAnInputErrorNotANoMatch(@TempDir Path dir) throws IOException {
    // RBAC manifests given to -f by mistake: real YAML, no audit event in it
    Cli.Result manifests = Cli.run("generate", "-f", TestData.FLANNEL, "--user", "alice");
    assertThat(manifests.exit()).isEqualTo(2);
    assertThat(manifests.out()).isEmpty();
    assertThat(manifests.err())
        .contains(
            "error: no audit event in the input (testdata/rbac/flannel-v0.20.2/kube-flannel.yml): 6"
                + " unusable record(s) or empty file(s), reported above, and nothing else; expected"
                + " audit.k8s.io Events");
    Path empty = Files.createFile(dir.resolve("audit.log"));
    for (String[] args :
        List.of(
            new String[] {"generate", "-f", empty.toString(), "--user", "alice"},
            new String[] {
              "diff", "-f", empty.toString(), "--rbac", TestData.FLANNEL, "--user", "a"
            },
            new String[] {
              "diff", "-f", empty.toString(), "--rbac", TestData.FLANNEL, "--all-subjects"
            },
            new String[] {"subjects", "-f", empty.toString()},
            new String[] {
              "generate",
              "-f",
              empty.toString(),
              "--all-subjects",
              "--output-dir",
              dir.resolve("o").toString()
            })) {
      Cli.Result r = Cli.run(args);
      assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.err())
          .as(String.join(" ", args))
          .contains("error: no audit event in the input (");
    }
    // events, but none of the subject's: exit 3
    Cli.Result nobody = Cli.run("generate", "-f", DEMO, "--user", "nobody-at-all");
    assertThat(nobody.exit()).isEqualTo(3);
    assertThat(nobody.err()).startsWith("No audit events matched user nobody-at-all");
    assertThat(Cli.run("subjects", "-f", DEMO, "--subjects-matching", "^nobody").exit())
        .isEqualTo(3);
  }

  @Test
  void theServiceAccountFlagTakesTheFormsPeoplePaste() {
    Cli.Result colon = Cli.run("generate", "-f", DEMO, "--serviceaccount", "ns1:sa1", "-q");
    assertThat(colon.exit()).isZero();
    assertThat(colon.out()).contains("kind: ServiceAccount");
    for (String form : List.of("ns1/sa1", "system:serviceaccount:ns1:sa1")) {
      Cli.Result r = Cli.run("generate", "-f", DEMO, "--serviceaccount", form, "-q");
      assertThat(r.exit()).as(form).isZero();
      assertThat(r.out()).as(form).isEqualTo(colon.out());
    }
    for (String bad : List.of("ns1/sa1/x", "ns1:sa1:x", "system:serviceaccount:ns1", "/sa1")) {
      Cli.Result r = Cli.run("generate", "-f", DEMO, "--serviceaccount", bad);
      assertThat(r.exit()).as(bad).isEqualTo(2);
      assertThat(r.err())
          .as(bad)
          .startsWith(
              "error: --serviceaccount must be NAMESPACE:NAME (or NAMESPACE/NAME, or"
                  + " system:serviceaccount:NAMESPACE:NAME), got \""
                  + bad
                  + "\"");
    }
  }

  @Test
  void anUnrenderedHelmTemplateIsNamedAsSuch() {
    String hint =
        "error: "
            + HELM_TEMPLATE
            + ":1: this is a Helm template ({{ ... }} on line 1), not a manifest: render it with"
            + " `helm template RELEASE CHART`";
    Cli.Result diff = Cli.run("diff", "--rbac", HELM_TEMPLATE, "-f", DEMO, "--user", "alice");
    assertThat(diff.exit()).isEqualTo(2);
    assertThat(diff.err()).startsWith(hint).contains("give the output to --rbac (invalid YAML:");
    Cli.Result canI = Cli.run("can-i", "--rbac", HELM_TEMPLATE, "--as", "alice", "get", "pods");
    assertThat(canI.exit()).isEqualTo(2);
    assertThat(canI.err()).startsWith(hint);
    // a real manifest with an error still gets the YAML error alone
    assertThat(Cli.run("can-i", "--rbac", DEMO, "--as", "alice", "get", "pods").err())
        .doesNotContain("Helm");
  }

  @Test
  void noRuleSaysWhyAndIsStillAValidEmptyList() {
    String log = HkermaAuditLog.jsonl().toString();
    for (String quiet : List.of("-q", "--min-window=0s")) {
      Cli.Result r =
          Cli.run(
              "generate",
              "-f",
              log,
              "--user",
              "system:anonymous",
              "--allow-unauthenticated",
              quiet);
      assertThat(r.exit()).isZero();
      assertThat(r.out()).isEqualTo("apiVersion: v1\nitems: []\nkind: List\n");
      assertThat(r.documents())
          .containsExactly(Map.of("apiVersion", "v1", "kind", "List", "items", List.of()));
      assertThat(r.err())
          .contains(
              "rbac-synth: no rule generated for user system:anonymous: all 2 distinct request(s)"
                  + " are allowed by the default roles every cluster has: system:public-info-viewer"
                  + " (2); the output is an empty List\n");
    }
    Cli.Result json =
        Cli.run(
            "generate",
            "-f",
            log,
            "--user",
            "system:anonymous",
            "--allow-unauthenticated",
            "-q",
            "-o",
            "json");
    assertThat(json.out().replaceAll("\\s", ""))
        .isEqualTo("{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[]}");
    // only denied, and asked not to grant those
    Cli.Result denied =
        Cli.run("generate", "-f", DEMO, "--user", "alice", "--exclude-denied", "-q");
    assertThat(denied.out()).isEqualTo("apiVersion: v1\nitems: []\nkind: List\n");
    assertThat(denied.err())
        .contains(
            "rbac-synth: no rule generated for user alice: 3 distinct request(s) were only ever"
                + " denied (--exclude-denied); the output is an empty List\n");
  }

  private static byte[] readDemo() {
    try {
      return Files.readAllBytes(Path.of(DEMO));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
