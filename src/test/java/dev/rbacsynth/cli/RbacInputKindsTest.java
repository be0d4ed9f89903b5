package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What --rbac does with inputs that are not RBAC: a usage ledger or an audit log given by mistake
 * is refused with the flag that takes it, a file of other kinds is warned about, and no RBAC at all
 * (but documents) is an error, while an empty file still means "no RBAC".
 */
class RbacInputKindsTest {
  private static final String DEMO = "testdata/demo.log";
  private static final String LEDGER = "testdata/ledger/hkerma-head-150.v1alpha2.json";
  private static final String GATEKEEPER = "testdata/rbac/gatekeeper/gatekeeper.yaml";
  private static final Pattern RBAC_KIND =
      Pattern.compile("(?m)^kind: (Role|ClusterRole|RoleBinding|ClusterRoleBinding)$");

  @TempDir Path dir;

  /** gatekeeper's release manifest without its RBAC documents: CRDs, Deployments, a Service... */
  private Path gatekeeperWithoutRbac(Path where) throws IOException {
    String all = Files.readString(Path.of(GATEKEEPER));
    String others =
        Arrays.stream(all.split("(?m)^---$"))
            .filter(d -> !RBAC_KIND.matcher(d).find())
            .collect(Collectors.joining("---"));
    assertThat(others).contains("kind: Deployment").doesNotContain("kind: ClusterRoleBinding");
    Files.createDirectories(where.getParent());
    Files.writeString(where, others);
    return where;
  }

  @Test
  void aUsageLedgerIsSentToUsage() throws IOException {
    Path ledger = dir.resolve("usage.json");
    assertThat(Cli.run("collect", "-q", "-f", DEMO, "--output-file", ledger.toString()).exit())
        .isZero();
    for (String file : new String[] {ledger.toString(), LEDGER}) {
      Cli.Result r = Cli.run("diff", "-q", "-f", DEMO, "--rbac", file, "--user", "alice");
      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.out()).isEmpty();
      assertThat(r.err())
          .startsWith(
              "error: "
                  + file
                  + ": this is a usage ledger, not RBAC manifests; give it with --usage");
    }
  }

  @Test
  void anAuditLogIsSentToF() {
    Cli.Result r = Cli.run("can-i", "--rbac", DEMO, "--as", "alice", "get", "pods");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .startsWith(
            "error: "
                + DEMO
                + ": this looks like an audit log, not RBAC manifests; give it with -f")
        .doesNotContain("YAML");
  }

  @Test
  void manifestsWithoutRbacAreAnError() throws IOException {
    Path file = gatekeeperWithoutRbac(dir.resolve("other/gatekeeper-workloads.yaml"));
    for (String rbac : new String[] {file.toString(), file.getParent().toString()}) {
      Cli.Result r = Cli.run("diff", "-q", "-f", DEMO, "--rbac", rbac, "--user", "alice");
      assertThat(r.exit()).as(rbac).isEqualTo(2);
      assertThat(r.err())
          .as(rbac)
          .startsWith(
              "error: "
                  + rbac
                  + " holds no Role, ClusterRole, RoleBinding or ClusterRoleBinding (--rbac takes");
    }
  }

  @Test
  void aFileWithoutRbacNextToRbacIsWarnedAbout() throws IOException {
    Path file = gatekeeperWithoutRbac(dir.resolve("gatekeeper-workloads.yaml"));
    Cli.Result r =
        Cli.run(
            "can-i",
            "--rbac",
            file.toString(),
            "--rbac",
            GATEKEEPER,
            "--as",
            "system:serviceaccount:gatekeeper-system:gatekeeper-admin",
            "list",
            "pods",
            "-A");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo("yes\n");
    assertThat(r.err())
        .isEqualTo(
            "warning: "
                + file
                + " holds no Role, ClusterRole, RoleBinding or ClusterRoleBinding\n");
  }

  @Test
  void anEmptyFileStillMeansNoRbac() throws IOException {
    Path empty = Files.createFile(dir.resolve("none.yaml"));
    Cli.Result r = Cli.run("can-i", "--rbac", empty.toString(), "--as", "alice", "get", "pods");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEqualTo("no\n");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void aDuplicateKeyIsWarnedAboutWithFileAndLineAndTheLastOneWins() throws IOException {
    // a Role as kubectl get -o yaml prints it, with the verbs of its rule given twice
    Path role =
        Files.writeString(
            dir.resolve("role.yaml"),
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata:
              name: pod-reader
              namespace: default
            rules:
            - apiGroups:
              - ""
              resources:
              - pods
              verbs:
              - list
              verbs:
              - get
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata:
              name: pod-reader
              namespace: default
            roleRef:
              apiGroup: rbac.authorization.k8s.io
              kind: Role
              name: pod-reader
            subjects:
            - apiGroup: rbac.authorization.k8s.io
              kind: User
              name: alice
            """);
    Cli.Result get = Cli.run("can-i", "--rbac", role.toString(), "--as", "alice", "get", "pods");
    assertThat(get.exit()).isZero();
    assertThat(get.err())
        .isEqualTo(
            "warning: "
                + role
                + ":13: duplicate key 'verbs' (the last one wins, as kubectl does)\n");
    Cli.Result list = Cli.run("can-i", "--rbac", role.toString(), "--as", "alice", "list", "pods");
    assertThat(list.exit()).isEqualTo(1);
  }
}
