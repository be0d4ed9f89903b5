package dev.rbacsynth.read;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Cli;
import dev.rbacsynth.kube.RbacObjects;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 §5: {@code helm install --dry-run} output is read for its manifests (the release summary
 * and the NOTES are skipped), and an RBAC kind of the wrong {@code apiVersion} is warned about.
 */
class HelmAndApiVersionTest {
  private static final Path CERT_MANAGER =
      Path.of("testdata/rbac/cert-manager-static-v1.11.5/cert-manager.yaml");

  @TempDir Path dir;

  /** The real manifest's documents, from its first {@code ---} (Helm starts each with one). */
  private static String documents() throws IOException {
    String text = Files.readString(CERT_MANAGER);
    return text.substring(text.indexOf("\n---\n") + 1);
  }

  /**
   * The manifest as Helm 3 prints a dry-run install: the release summary, a hook under HOOKS:, the
   * documents under MANIFEST:, then NOTES: with free text that is not YAML.
   */
  static String helmInstallDryRun(String documents) {
    return "NAME: my-cert-manager\n"
        + "LAST DEPLOYED: Fri Jan 27 10:12:41 2023\n"
        + "NAMESPACE: cert-manager\n"
        + "STATUS: pending-install\n"
        + "REVISION: 1\n"
        + "TEST SUITE: None\n"
        + "HOOKS:\n"
        + "---\n"
        + "# Source: cert-manager/templates/startupapicheck-job.yaml\n"
        + "apiVersion: batch/v1\n"
        + "kind: Job\n"
        + "metadata:\n"
        + "  name: my-cert-manager-startupapicheck\n"
        + "  namespace: cert-manager\n"
        + "  annotations:\n"
        + "    helm.sh/hook: post-install\n"
        + "MANIFEST:\n"
        + documents
        + "\n"
        + "NOTES:\n"
        + "cert-manager v1.11.0 has been deployed successfully!\n"
        + "\n"
        + "To begin issuing certificates, set up a ClusterIssuer or Issuer: see\n"
        + "https://cert-manager.io/docs/configuration/ - for example:\n"
        + "  kubectl get pods --namespace cert-manager -o jsonpath=\"{.items[0].metadata.name}\"\n";
  }

  private static List<String> names(RbacObjects o) {
    return Stream.of(o.roles(), o.clusterRoles(), o.roleBindings(), o.clusterRoleBindings())
        .flatMap(List::stream)
        .map(HasMetadata.class::cast)
        .map(
            m ->
                m.getKind()
                    + " "
                    + m.getMetadata().getNamespace()
                    + "/"
                    + m.getMetadata().getName())
        .toList();
  }

  private static RbacManifestReader read(String name, String text) {
    return new RbacManifestReader()
        .read(name, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void helmInstallDryRunOutputIsReadForItsManifestsWithTheirLines() throws IOException {
    String documents = documents();
    RbacManifestReader plain = read("plain.yaml", documents);
    RbacManifestReader helm = read("helm.txt", helmInstallDryRun(documents));
    assertThat(names(plain.objects())).hasSize(28);
    assertThat(names(helm.objects())).isEqualTo(names(plain.objects()));
    assertThat(helm.warnings()).isEmpty();
    // 17 lines of summary and hook before the documents: every object keeps its line.
    int before = 17;
    assertThat(
            helm.positions()
                .of("ClusterRole", "", "cert-manager-controller-issuers")
                .orElseThrow()
                .object()
                .line())
        .isEqualTo(
            plain
                    .positions()
                    .of("ClusterRole", "", "cert-manager-controller-issuers")
                    .orElseThrow()
                    .object()
                    .line()
                + before);
  }

  @Test
  void helmOutputThroughCanI() throws IOException {
    Path file = Files.writeString(dir.resolve("dry-run.txt"), helmInstallDryRun(documents()));
    Cli.Result r =
        Cli.run(
            "can-i",
            "--rbac",
            file.toString(),
            "--as",
            "system:serviceaccount:cert-manager:cert-manager",
            "create",
            "certificaterequests.cert-manager.io",
            "-n",
            "shop");
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).startsWith("yes");
  }

  @Test
  void aYamlFileWhoseFirstKeyIsNameIsNotTakenForHelmOutput() {
    String text = "NAME: x\nkind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\n";
    // Not a release summary (no document follows): read as it is, a mapping with an odd key.
    RbacManifestReader r = read("odd.yaml", text + "metadata:\n  name: reader\n");
    assertThat(r.objects().clusterRoles()).hasSize(1);
  }

  @Test
  void anRbacKindOfAnotherApiVersionIsWarnedAbout() {
    String text =
        "apiVersion: rbac.authorization.k8s.io/v1beta1\n"
            + "kind: ClusterRole\n"
            + "metadata:\n"
            + "  name: old\n"
            + "rules: []\n"
            + "---\n"
            + "apiVersion: v1\n"
            + "kind: ClusterRole\n"
            + "metadata:\n"
            + "  name: wrong\n"
            + "rules: []\n"
            + "---\n"
            + "apiVersion: rbac.authorization.k8s.io/v1\n"
            + "kind: Role\n"
            + "metadata:\n"
            + "  name: right\n"
            + "  namespace: shop\n"
            + "---\n"
            + "kind: RoleBinding\n"
            + "metadata:\n"
            + "  name: none\n"
            + "  namespace: shop\n";
    RbacManifestReader r = read("roles.yaml", text);
    assertThat(r.objects().clusterRoles()).hasSize(1);
    assertThat(r.objects().roles()).hasSize(1);
    assertThat(r.objects().roleBindings()).isEmpty();
    assertThat(r.warnings())
        .containsExactly(
            "roles.yaml:1: ClusterRole old has apiVersion rbac.authorization.k8s.io/v1beta1, which"
                + " Kubernetes no longer serves (removed in 1.22; kubectl apply refuses it): read as"
                + " rbac.authorization.k8s.io/v1, change it to that",
            "roles.yaml:7: ClusterRole wrong has apiVersion v1, not rbac.authorization.k8s.io/v1:"
                + " the apiserver would not take it as RBAC, so it is skipped",
            "roles.yaml:19: RoleBinding shop/none has no apiVersion, not"
                + " rbac.authorization.k8s.io/v1: the apiserver would not take it as RBAC, so it is"
                + " skipped");
  }

  @Test
  void theWarningReachesTheUserOfCanIAndDiff() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("crb.yaml"),
            "apiVersion: rbac.authorization.k8s.io/v2\n"
                + "kind: ClusterRoleBinding\n"
                + "metadata:\n"
                + "  name: admins\n"
                + "roleRef:\n"
                + "  apiGroup: rbac.authorization.k8s.io\n"
                + "  kind: ClusterRole\n"
                + "  name: cluster-admin\n"
                + "subjects:\n"
                + "- kind: User\n"
                + "  name: alice\n");
    Cli.Result r = Cli.run("can-i", "--rbac", file.toString(), "--as", "alice", "get", "pods");
    assertThat(r.err())
        .isEqualTo(
            "warning: "
                + file
                + ":1: ClusterRoleBinding admins has apiVersion rbac.authorization.k8s.io/v2, not"
                + " rbac.authorization.k8s.io/v1: the apiserver would not take it as RBAC, so it is"
                + " skipped\n");
    assertThat(r.out()).startsWith("no");
  }
}
