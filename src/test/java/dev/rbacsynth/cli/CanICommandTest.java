package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** can-i end to end: answers, exit codes, the reason, kubectl-style arguments and --list. */
class CanICommandTest {

  static final String RBAC =
      """
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRole
      metadata: {name: pod-reader}
      rules:
      - {apiGroups: [''], resources: [pods, pods/log], verbs: [get, list, watch]}
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata: {name: shop-readers, namespace: shop}
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-reader}
      subjects: [{kind: Group, name: 'system:serviceaccounts:shop'}]
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: Role
      metadata: {name: scaler, namespace: shop}
      rules:
      - {apiGroups: [apps], resources: [deployments/scale], resourceNames: [web], verbs: [get, patch]}
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata: {name: oncall, namespace: shop}
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: scaler}
      subjects: [{kind: Group, name: oncall}]
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRole
      metadata: {name: metrics}
      rules:
      - {nonResourceURLs: [/metrics], verbs: [get]}
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRoleBinding
      metadata: {name: prometheus}
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: metrics}
      subjects: [{kind: ServiceAccount, name: prometheus, namespace: monitoring}]
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRole
      metadata: {name: node-reader}
      rules:
      - {apiGroups: [''], resources: [nodes], verbs: [get, list]}
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRoleBinding
      metadata: {name: alice-nodes}
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: node-reader}
      subjects: [{kind: User, apiGroup: rbac.authorization.k8s.io, name: alice}]
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata: {name: bob-nodes, namespace: shop}
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: node-reader}
      subjects: [{kind: User, apiGroup: rbac.authorization.k8s.io, name: bob}]
      """;

  static final String WEB = "system:serviceaccount:shop:web";

  @TempDir Path tmp;
  Path rbac;

  @BeforeEach
  void writeRbac() throws IOException {
    rbac = Files.writeString(tmp.resolve("rbac.yaml"), RBAC);
  }

  private Cli.Result canI(String... args) {
    List<String> all = new ArrayList<>(List.of("can-i", "--rbac", rbac.toString()));
    all.addAll(List.of(args));
    return Cli.run(all.toArray(String[]::new));
  }

  private void assertAnswer(String answer, String... args) {
    Cli.Result r = canI(args);
    assertThat(r.out()).as(String.join(" ", args)).isEqualTo(answer + "\n");
    assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(answer.equals("yes") ? 0 : 1);
  }

  @Test
  void aServiceAccountGetsItsGroupsAsTheApiserverGivesThem() {
    assertAnswer("yes", "--as", WEB, "get", "pods", "-n", "shop");
    assertAnswer("yes", "--as", WEB, "watch", "po", "-n", "shop");
    assertAnswer("no", "--as", WEB, "get", "pods", "-n", "other");
    assertAnswer("no", "--as", WEB, "delete", "pods", "-n", "shop");
    assertAnswer("no", "--as", WEB, "list", "pods", "-A");
    assertAnswer("no", "--as", "system:serviceaccount:other:web", "get", "pods", "-n", "shop");
    // Explicit groups replace the service-account groups, as with Impersonate-Group.
    assertAnswer("no", "--as", WEB, "--as-group", "dev", "get", "pods", "-n", "shop");
  }

  @Test
  void subresourcesAndNamesAreGivenLikeKubectl() {
    assertAnswer("yes", "--as", WEB, "get", "pods/log", "web-0", "-n", "shop");
    assertAnswer("yes", "--as", WEB, "get", "pods", "--subresource", "log", "-n", "shop");
    assertAnswer("no", "--as", WEB, "get", "pods/exec", "web-0", "-n", "shop");
    assertAnswer(
        "yes",
        "--as",
        "carol",
        "--as-group",
        "oncall",
        "patch",
        "deployments.apps/scale",
        "web",
        "-n",
        "shop");
    assertAnswer(
        "yes", "--as", "carol", "--as-group", "oncall", "get", "deploy/scale", "web", "-n", "shop");
    assertAnswer(
        "yes",
        "--as",
        "carol",
        "--as-group",
        "oncall",
        "patch",
        "deployments.v1.apps/scale",
        "web",
        "-n",
        "shop");
    assertAnswer(
        "no",
        "--as",
        "carol",
        "--as-group",
        "oncall",
        "patch",
        "deployments.apps/scale",
        "api",
        "-n",
        "shop");
    assertAnswer(
        "no",
        "--as",
        "carol",
        "--as-group",
        "oncall",
        "patch",
        "deployments.apps/scale",
        "-n",
        "shop");
    assertAnswer(
        "no",
        "--as",
        "carol",
        "--as-group",
        "oncall",
        "patch",
        "deployments.apps",
        "web",
        "-n",
        "shop");
  }

  @Test
  void verboseNamesTheBindingAndRuleLikeTheReasonAnnotation() {
    Cli.Result r =
        canI(
            "--as",
            "carol",
            "--as-group",
            "oncall",
            "patch",
            "deployments.apps/scale",
            "web",
            "-n",
            "shop",
            "-v");
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .isEqualTo(
            """
        yes
        RBAC: allowed by RoleBinding "oncall/shop" of Role "scaler" to Group "oncall"
        rule: rules[0] of Role scaler: apiGroups=[apps] resources=[deployments/scale] resourceNames=[web] \
        verbs=[get,patch]
        """);
    Cli.Result no = canI("--as", WEB, "delete", "pods", "-n", "shop", "-v");
    assertThat(no.exit()).isEqualTo(1);
    assertThat(no.out())
        .startsWith(
            "no\nno RBAC rule allows delete pods -n shop for "
                + WEB
                + " (groups: system:serviceaccounts, system:serviceaccounts:shop, system:authenticated)");
  }

  @Test
  void nonResourceUrlsAndClusterScope() {
    assertAnswer("yes", "--as", "system:serviceaccount:monitoring:prometheus", "get", "/metrics");
    assertAnswer(
        "no", "--as", "system:serviceaccount:monitoring:prometheus", "get", "/metrics/slis");
    assertAnswer("no", "--as", "system:serviceaccount:monitoring:prometheus", "post", "/metrics");
    assertAnswer("yes", "--as", "alice", "list", "nodes", "-A");
    assertAnswer("yes", "--as", "alice", "get", "nodes", "node-1");
    // A RoleBinding cannot grant a cluster-scoped resource: bob's binding in shop is inert.
    assertAnswer("no", "--as", "bob", "get", "nodes", "node-1");
    Cli.Result r = canI("--as", "bob", "get", "nodes", "node-1", "-n", "shop");
    assertThat(r.out()).isEqualTo("no\n");
    assertThat(r.err()).contains("nodes is cluster-scoped: checked at cluster scope, not in shop");
  }

  @Test
  void systemMastersIsAllowedBeforeRbac() {
    Cli.Result r =
        canI("--as", "root", "--as-group", "system:masters", "delete", "secrets", "-A", "-v");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("yes\nallowed: root is in system:masters");
  }

  @Test
  void listShowsWhatTheUserMayDoInTheNamespace() {
    Cli.Result r = canI("--as", "bob", "--as-group", "oncall", "--list", "-n", "shop", "-v");
    assertThat(r.exit()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0))
        .startsWith("RESOURCES")
        .contains("NON-RESOURCE URLS", "RESOURCE NAMES", "VERBS", "GRANTED BY");
    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("deployments.apps/scale")
                    .contains(
                        "[web]", "[get patch]", "RoleBinding \"oncall/shop\" of Role \"scaler\""));
    assertThat(lines)
        .anySatisfy(l -> assertThat(l).startsWith("selfsubjectaccessreviews.authorization.k8s.io"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("[/api/*]"));
    assertThat(lines).noneMatch(l -> l.startsWith("nodes"));
    assertThat(r.err()).contains("not shown: cluster-scoped resources and non-resource URLs");
    Cli.Result defaultsOff =
        canI("--as", "bob", "--as-group", "oncall", "--list", "-n", "shop", "--defaults=false");
    assertThat(defaultsOff.out().lines().toList()).hasSize(2);
  }

  @Test
  void anUnknownResourceIsCheckedInTheCoreGroupWithAWarning() {
    Cli.Result r = canI("--as", WEB, "get", "widgets", "-n", "shop");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("\"widgets\" is not a built-in resource");
  }

  @Test
  void usageErrorsExitWith2() {
    for (String[] args :
        List.of(
            new String[] {"--as", WEB},
            new String[] {"get", "pods"},
            new String[] {"--as", WEB, "get"},
            new String[] {"--as", WEB, "get", "pods", "-n", "shop", "-A"},
            new String[] {"--as", WEB, "get", "/metrics", "x"},
            new String[] {"--as", WEB, "get", "pods/log/x"},
            new String[] {"--as", WEB, "--list", "get", "pods"})) {
      Cli.Result r = canI(args);
      assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.out()).isEmpty();
    }
    Cli.Result missing =
        Cli.run("can-i", "--rbac", tmp.resolve("nope.yaml").toString(), "--as", WEB, "get", "pods");
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("nope.yaml: no such file or directory");
  }

  @Test
  void quietAnswersOnlyWithTheExitCode() {
    Cli.Result r = canI("--as", WEB, "get", "pods", "-n", "shop", "-q");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEmpty();
  }
}
