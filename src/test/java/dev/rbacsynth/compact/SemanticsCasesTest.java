package dev.rbacsynth.compact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Harness;
import dev.rbacsynth.attributes.Interpretation;
import dev.rbacsynth.kube.Subject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every tricky case of semantics.md §9 that applies to generation: the events of the case (as a
 * real apiserver writes them, testdata/semantics/case-NN.jsonl) must give exactly the doc's minimal
 * rules with {@code --exact}, and the project's authorizer must prove them: all requests allowed,
 * no rule unneeded.
 */
class SemanticsCasesTest {

  private static final Subject WEB = new Subject.ServiceAccount("shop", "web");
  private static final Subject ALICE = new Subject.User("alice");
  private static final Subject OPERATOR = new Subject.ServiceAccount("shop", "operator");
  private static final Subject CI_BOT = new Subject.User("ci-bot");

  static Stream<Arguments> cases() {
    return Stream.of(
        c(1, WEB, "Role/shop: [\"\"] [pods] [watch]"),
        c(2, WEB, "Role/shop: [\"\"] [configmaps] [watch]"),
        c(3, ALICE, "Role/shop: [\"\"] [pods] names=[web-0] [get, watch]"),
        c(4, ALICE, "ClusterRole: [\"\"] [pods] [list]"),
        c(5, ALICE, "Role/shop: [\"\"] [pods] [deletecollection]"),
        c(6, ALICE, "Role/shop: [\"\"] [configmaps] [create]"),
        c(7, CI_BOT, "ClusterRole: [\"\"] [namespaces] [create]"),
        c(8, new Subject.User("bob"), "Role/team-a: [\"\"] [namespaces] names=[team-a] [delete]"),
        c(9, ALICE, "ClusterRole: [\"\"] [pods] [list]"),
        c(10, WEB),
        c(11, CI_BOT, "Role/shop: [apps] [deployments] names=[web] [create, patch]"),
        c(12, CI_BOT, "Role/shop: [apps] [deployments] names=[web] [create, patch]"),
        c(13, ALICE, "Role/shop: [\"\"] [pods/exec] names=[web-0] [create, get]"),
        c(15, ALICE, "Role/shop: [\"\"] [pods/log] names=[web-0] [get]"),
        c(16, OPERATOR, "Role/shop: [events.k8s.io] [events] [create]"),
        c(17, OPERATOR, "Role/shop: [example.com] [widgets/status] names=[w1] [update]"),
        c(18, ALICE, "Role/shop: [apps] [deployments] [list]"),
        c(19, new Subject.User("system:anonymous")),
        c(
            20,
            new Subject.ServiceAccount("monitoring", "prometheus"),
            "ClusterRole: urls=[/metrics] [get]"),
        c(21, ALICE),
        c(22, new Subject.ServiceAccount("shop", "deployer"), "Role/shop: [\"\"] [pods] [create]"),
        c(
            23,
            WEB,
            "Role/shop: [\"\"] [configmaps] names=[feature-flags] [get]",
            "Role/shop: [\"\"] [secrets] [list]"),
        c(24, new Subject.User("bob"), "Role/shop: [\"\"] [pods] [list]"),
        c(24, new Subject.User("admin"), "ClusterRole: [\"\"] [users] names=[bob] [impersonate]"),
        c(25, ALICE, "Role/shop: [example.com] [widgets] [list]"),
        c(26, ALICE),
        c(27, ALICE),
        c(
            28,
            new Subject.ServiceAccount("platform", "onboarder"),
            "Role/team-a: [rbac.authorization.k8s.io] [clusterroles] names=[edit] [bind]",
            "Role/team-a: [rbac.authorization.k8s.io] [rolebindings] [create]"),
        c(29, new Subject.User("bob"), "Role/shop: [\"\"] [pods] [list]"),
        c(29, ALICE, "ClusterRole: [\"\"] [users] names=[bob] [impersonate]"),
        c(30, CI_BOT, "Role/shop: [\"\"] [serviceaccounts] names=[deployer] [impersonate]"),
        c(
            30,
            new Subject.ServiceAccount("shop", "deployer"),
            "Role/shop: [apps] [deployments] names=[web] [get]"),
        c(
            31,
            new Subject.ServiceAccount("default", "my-controller"),
            "Role/default: [\"\"] [pods] [impersonate-on:user-info:list]",
            "ClusterRole: [authentication.k8s.io] [users] names=[jane.doe@example.com] [impersonate:user-info]"),
        c(31, new Subject.User("jane.doe@example.com"), "Role/default: [\"\"] [pods] [list]"),
        c(32, ALICE),
        c(
            33,
            new Subject.ServiceAccount("monitoring", "prometheus"),
            "ClusterRole: [\"\"] [nodes/proxy] names=[node-1:10250] [get]"),
        c(34, ALICE, "Role/monitoring: [\"\"] [services/proxy] names=[http:grafana:3000] [get]"),
        c(35, WEB),
        c(
            36,
            new Subject.ServiceAccount("monitoring", "kube-rbac-proxy"),
            "ClusterRole: [authentication.k8s.io] [tokenreviews] [create]"),
        c(
            37,
            OPERATOR,
            "Role/shop: [coordination.k8s.io] [leases] names=[web-leader] [get, update]",
            "Role/shop: [coordination.k8s.io] [leases] [create]"),
        c(
            39,
            new Subject.User("carol"),
            "Role/shop: [apps] [deployments/scale] names=[web] [patch]"),
        c(40, WEB, "Role/shop: [\"\"] [secrets] names=[db] [get]"),
        c(
            41,
            new Subject.ServiceAccount("ci", "runner"),
            "Role/ci: [\"\"] [serviceaccounts/token] names=[deployer] [create]"),
        c(
            42,
            new Subject.ServiceAccount("kube-system", "horizontal-pod-autoscaler"),
            "Role/shop: [example.com] [widgets/scale] names=[w1] [get]"),
        c(43, CI_BOT, "Role/shop: [\"\"] [services] [create]"),
        c(44, WEB, "Role/shop: [\"\"] [pods] [list]"),
        c(
            45,
            new Subject.ServiceAccount("platform", "approver"),
            "ClusterRole: [certificates.k8s.io] [certificatesigningrequests/approval] names=[csr-7xk2p] [update]",
            "ClusterRole: [certificates.k8s.io] [signers] names=[example.com/internal-ca] [approve]"),
        c(46, ALICE, "Role/shop: [metrics.k8s.io] [pods] [list]"),
        c(47, new Subject.ServiceAccount("ops", "checker"), "ClusterRole: urls=[/healthz] [head]"),
        c(48, new Subject.User("legacy-tool")),
        c(49, OPERATOR, "Role/shop: [\"\"] [endpoints] names=[legacy-db] [create, update]"));
  }

  private static Arguments c(int number, Subject subject, String... rules) {
    return Arguments.of(number, subject, List.of(rules));
  }

  @ParameterizedTest(name = "case {0}: {1}")
  @MethodSource("cases")
  void generatesTheDocumentedMinimalRules(int number, Subject subject, List<String> expected) {
    Harness.Run run = Harness.generate(caseFile(number), subject, GenerateOptions.EXACT);
    assertThat(run.rules()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(run.verification().notAllowed()).isEmpty();
    assertThat(run.verification().unneededRules()).isEmpty();
  }

  static String caseFile(int number) {
    return String.format("testdata/semantics/case-%02d.jsonl", number);
  }

  @org.junit.jupiter.api.Test
  void portForwardOverWebSocketNeedsCreateToo() throws Exception {
    // Case 14: the same as exec (case 13) with the portforward subresource.
    Path file = Files.createTempFile("case14", ".jsonl");
    Files.writeString(file, Files.readString(Path.of(caseFile(13))).replace("exec", "portforward"));
    Harness.Run run = Harness.generate(file.toString(), ALICE, GenerateOptions.EXACT);
    assertThat(run.rules())
        .containsExactly("Role/shop: [\"\"] [pods/portforward] names=[web-0] [create, get]");
  }

  @org.junit.jupiter.api.Test
  void skippedEventsAreCountedWithTheirReason() {
    assertThat(Harness.generate(caseFile(27), ALICE, GenerateOptions.EXACT).usage().matchedEvents())
        .isZero();
    assertThat(Harness.generate(caseFile(32), ALICE, GenerateOptions.EXACT).usage().skippedEvents())
        .containsEntry(Interpretation.Skip.IMPERSONATION_DENIED, 1L);
    assertThat(Harness.generate(caseFile(10), WEB, GenerateOptions.EXACT).usage().skippedEvents())
        .containsEntry(Interpretation.Skip.CLUSTER_SCOPED_IN_NAMESPACE, 1L);
    assertThat(
            Harness.generate(caseFile(48), new Subject.User("legacy-tool"), GenerateOptions.EXACT)
                .usage()
                .skippedEvents())
        .containsEntry(Interpretation.Skip.REMOVED_PROXY_PATH, 1L);
  }
}
