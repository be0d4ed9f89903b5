package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Cli;
import dev.rbacsynth.HkermaAuditLog;
import dev.rbacsynth.Reports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Every subject in one pass: generate --all-subjects --output-dir and the subjects listing. */
class AllSubjectsCliTest {
  @TempDir Path tmp;

  @Test
  void oneFilePerSubjectAndAKustomizationNarrowedByNamespaceAndRegex() throws IOException {
    Path dir = tmp.resolve("rbac");
    Cli.Result r =
        Cli.run(
            "generate",
            "-f",
            HkermaAuditLog.jsonl().toString(),
            "--all-subjects",
            "-n",
            "ingress-nginx",
            "--subjects-matching",
            "^system:serviceaccount:",
            "--output-dir",
            dir.toString());
    assertThat(r.exit()).isZero();
    List<String> files = fileNames(dir);
    assertThat(files)
        .contains("kustomization.yaml", "serviceaccount-ingress-nginx-my-ingress-nginx.yaml");
    assertThat(files)
        .allMatch(f -> f.equals("kustomization.yaml") || f.startsWith("serviceaccount-"));
    String k = Files.readString(dir.resolve("kustomization.yaml"));
    assertThat(k).startsWith("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n");
    for (String f : files) {
      if (!f.equals("kustomization.yaml")) {
        assertThat(k).contains("- " + f + "\n");
      }
    }
    // The file equals what generate writes for that one subject with the same options.
    Cli.Result one =
        Cli.run(
            "generate",
            "-f",
            HkermaAuditLog.jsonl().toString(),
            "-n",
            "ingress-nginx",
            "--serviceaccount",
            "ingress-nginx:my-ingress-nginx",
            "-q");
    assertThat(Files.readString(dir.resolve("serviceaccount-ingress-nginx-my-ingress-nginx.yaml")))
        .isEqualTo(one.out());
    assertThat(r.err()).contains("rbac-synth: observed 2023-01-27T18:28:08.127428Z");
  }

  /**
   * A second run into the same directory removes the files of the first that it does not write
   * (here: the run narrowed to one service account, as when the others are gone from the log), and
   * only rbac-synth's own: a file it did not list, or one that holds more than RBAC, stays, named
   * in a warning; other files are not looked at.
   */
  @Test
  void filesOfSubjectsNoLongerPresentAreRemovedOnlyIfRbacSynthWroteThem() throws IOException {
    Path dir = tmp.resolve("rbac");
    String log = HkermaAuditLog.jsonl().toString();
    Cli.Result first =
        Cli.run(
            "generate",
            "-f",
            log,
            "--all-subjects",
            "-n",
            "ingress-nginx",
            "--output-dir",
            dir.toString());
    assertThat(first.exit()).isZero();
    List<String> before = fileNames(dir);
    String kept = "serviceaccount-ingress-nginx-my-ingress-nginx.yaml";
    List<String> gone =
        before.stream().filter(f -> !f.equals(kept) && !f.equals("kustomization.yaml")).toList();
    assertThat(gone).isNotEmpty();
    // a hand-written file with a name rbac-synth could give, one of rbac-synth's files that a
    // person added a ConfigMap to, and a file of another name
    Files.writeString(
        dir.resolve("user-alice.yaml"),
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: alice\n");
    String edited = gone.get(0);
    Files.writeString(
        dir.resolve(edited),
        Files.readString(dir.resolve(edited))
            + "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\n");
    Files.writeString(dir.resolve("README.md"), "# our RBAC\n");

    Cli.Result second =
        Cli.run(
            "generate",
            "-f",
            log,
            "--all-subjects",
            "-n",
            "ingress-nginx",
            "--subjects-matching",
            "my-ingress-nginx$",
            "--output-dir",
            dir.toString());
    assertThat(second.exit()).isZero();
    List<String> after = fileNames(dir);
    assertThat(after)
        .containsExactlyInAnyOrder(
            "kustomization.yaml", kept, "user-alice.yaml", edited, "README.md");
    List<String> removed = gone.stream().filter(f -> !f.equals(edited)).toList();
    assertThat(second.err())
        .contains(
            "rbac-synth: removed "
                + removed.size()
                + " file(s) an earlier run wrote to "
                + dir
                + " for subjects this run writes nothing for: "
                + String.join(", ", removed))
        .contains("warning: " + dir + " holds file(s) named as rbac-synth names them")
        .contains(": " + edited + ", user-alice.yaml\n");
    assertThat(Files.readString(dir.resolve("kustomization.yaml")))
        .endsWith("resources:\n- " + kept + "\n");
  }

  /** The names of the files in {@code dir}, sorted. */
  private static List<String> fileNames(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void predictableNamesStayDistinct() {
    java.util.Map<dev.rbacsynth.kube.Subject, String> names =
        AllSubjects.fileNames(
            List.of(
                new dev.rbacsynth.kube.Subject.User("Alice@example.com"),
                new dev.rbacsynth.kube.Subject.User("alice@example.com"),
                new dev.rbacsynth.kube.Subject.ServiceAccount("shop", "web")),
            ".yaml");
    assertThat(names.values())
        .doesNotHaveDuplicates()
        .contains("serviceaccount-shop-web.yaml")
        .anyMatch(n -> n.matches("user-alice-example.com-[0-9a-f]{8}\\.yaml"));
  }

  @Test
  void subjectsListsWhoIsInTheLog() {
    Cli.Result r = Cli.run("subjects", "-f", HkermaAuditLog.jsonl().toString(), "-o", "json");
    assertThat(r.exit()).isZero();
    JsonNode json = Reports.json(r.out());
    assertThat(json.get("observation").get("events").asLong()).isEqualTo(16_563);
    JsonNode nginx = null;
    long events = 0;
    for (JsonNode s : Reports.list(json.get("subjects"))) {
      events += s.get("events").asLong();
      if (s.get("username")
          .asString()
          .equals("system:serviceaccount:ingress-nginx:my-ingress-nginx")) {
        nginx = s;
      }
    }
    assertThat(nginx).isNotNull();
    assertThat(nginx.get("kind").asString()).isEqualTo("ServiceAccount");
    assertThat(nginx.get("events").asLong()).isPositive();
    assertThat(events).isPositive();
    String text =
        Cli.run("subjects", "-f", HkermaAuditLog.jsonl().toString(), "-n", "ingress-nginx").out();
    assertThat(text).startsWith("OBSERVED: ").contains("KIND", "my-ingress-nginx");
    assertThat(text).as("flannel's requests are all cluster-scoped").doesNotContain("flannel");
  }
}
