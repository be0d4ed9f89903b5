package dev.rbacsynth.compact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Harness;
import dev.rbacsynth.attributes.RequestAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * From the requests that need a rule to rules (which requests need one: {@code GeneratorTest}): the
 * expansions widen only when asked and only what was seen more than once, a covered grant is
 * pruned, and each grant lands in the Role of its namespace or in the ClusterRole.
 */
class RuleSynthesizerTest {

  private static final GenerateOptions VERBS_ONLY = new GenerateOptions(false, false, true, true);
  private static final GenerateOptions NAMESPACES_ONLY =
      new GenerateOptions(true, false, false, true);
  private static final GenerateOptions NAMES_ONLY = new GenerateOptions(false, true, false, true);

  /** The rules for these requests, one line each (see {@link Harness#rules}). */
  private static List<String> rules(GenerateOptions options, RequestAttributes... requests) {
    return Harness.rules(new RuleSynthesizer(options).synthesize(List.of(requests)));
  }

  private static RequestAttributes res(String verb, String resource, String ns, String name) {
    int slash = resource.indexOf('/');
    return slash < 0
        ? RequestAttributes.resource(verb, "", resource, "", ns, name)
        : RequestAttributes.resource(
            verb, "", resource.substring(0, slash), resource.substring(slash + 1), ns, name);
  }

  @ParameterizedTest
  @CsvSource({
    "watch, '[get, list, watch]'",
    "list, '[get, list, watch]'",
    "update, '[get, patch, update]'",
    "patch, '[get, patch, update]'",
    "get, '[get]'",
    "create, '[create]'",
    "delete, '[delete]'",
  })
  void verbsExpandLikeAudit2rbacOnlyWhenAsked(String verb, String expanded) {
    assertThat(rules(VERBS_ONLY, res(verb, "pods", "shop", "")))
        .containsExactly("Role/shop: [\"\"] [pods] " + expanded);
    assertThat(rules(GenerateOptions.EXACT, res(verb, "pods", "shop", "")))
        .containsExactly("Role/shop: [\"\"] [pods] [" + verb + "]");
  }

  @Test
  void nonResourceVerbsAreHttpMethodsAndNeverExpanded() {
    assertThat(
            rules(
                GenerateOptions.DEFAULTS, RequestAttributes.nonResource("patch", "/debug/flags/v")))
        .containsExactly("ClusterRole: urls=[/debug/flags/v] [patch]");
  }

  @Test
  void theSameOperationInSeveralNamespacesBecomesClusterWideOnlyWhenAsked() {
    RequestAttributes shop = res("list", "pods", "shop", "");
    RequestAttributes dev = res("list", "pods", "dev", "");
    assertThat(rules(NAMESPACES_ONLY, shop, dev))
        .containsExactly("ClusterRole: [\"\"] [pods] [list]");
    assertThat(rules(NAMESPACES_ONLY, shop)).containsExactly("Role/shop: [\"\"] [pods] [list]");
    assertThat(rules(GenerateOptions.EXACT, shop, dev))
        .containsExactly("Role/dev: [\"\"] [pods] [list]", "Role/shop: [\"\"] [pods] [list]");
    assertThat(rules(NAMESPACES_ONLY, shop, res("watch", "pods", "dev", "")))
        .as("another verb is another operation")
        .containsExactly("Role/dev: [\"\"] [pods] [watch]", "Role/shop: [\"\"] [pods] [list]");
  }

  @Test
  void withoutNameExpansionOnlyTheSameNameInSeveralNamespacesIsWidened() {
    assertThat(
            rules(NAMESPACES_ONLY, res("get", "pods", "shop", "a"), res("get", "pods", "dev", "a")))
        .containsExactly("ClusterRole: [\"\"] [pods] names=[a] [get]");
    assertThat(
            rules(NAMESPACES_ONLY, res("get", "pods", "shop", "a"), res("get", "pods", "dev", "b")))
        .containsExactly(
            "Role/dev: [\"\"] [pods] names=[b] [get]", "Role/shop: [\"\"] [pods] names=[a] [get]");
  }

  @Test
  void theSameOperationOnSeveralNamesBecomesUnnamedOnlyWhenAsked() {
    RequestAttributes a = res("get", "configmaps", "shop", "a");
    RequestAttributes b = res("get", "configmaps", "shop", "b");
    assertThat(rules(NAMES_ONLY, a, b)).containsExactly("Role/shop: [\"\"] [configmaps] [get]");
    assertThat(rules(NAMES_ONLY, a))
        .containsExactly("Role/shop: [\"\"] [configmaps] names=[a] [get]");
    assertThat(rules(GenerateOptions.EXACT, a, b))
        .containsExactly("Role/shop: [\"\"] [configmaps] names=[a, b] [get]");
    assertThat(rules(NAMES_ONLY, a, res("get", "configmaps", "dev", "b")))
        .as("without namespace expansion, names are counted per namespace")
        .containsExactly(
            "Role/dev: [\"\"] [configmaps] names=[b] [get]",
            "Role/shop: [\"\"] [configmaps] names=[a] [get]");
    assertThat(rules(GenerateOptions.DEFAULTS, a, res("get", "configmaps", "dev", "b")))
        .as("with both expansions: two names and two namespaces")
        .containsExactly("ClusterRole: [\"\"] [configmaps] [get]");
  }

  @ParameterizedTest
  @CsvSource({
    "impersonate, users, ''",
    "impersonate:user-info, users, authentication.k8s.io",
    "bind, clusterroles, rbac.authorization.k8s.io",
    "escalate, roles, rbac.authorization.k8s.io",
    "approve, signers, certificates.k8s.io",
    "sign, signers, certificates.k8s.io",
  })
  void namesAreNeverExpandedForVerbsWhoseNameIsThePoint(
      String verb, String resource, String group) {
    RequestAttributes a = RequestAttributes.resource(verb, group, resource, "", "", "a");
    String g = group.isEmpty() ? "\"\"" : group;
    assertThat(rules(GenerateOptions.DEFAULTS, a, a.withName("b")))
        .containsExactly("ClusterRole: [" + g + "] [" + resource + "] names=[a, b] [" + verb + "]");
  }

  @Test
  void anUnnamedOrClusterWideGrantPrunesTheGrantsItCovers() {
    assertThat(
            rules(
                GenerateOptions.DEFAULTS,
                res("get", "pods", "shop", "web-0"),
                res("watch", "pods", "shop", "")))
        .as("watch expands to an unnamed get")
        .containsExactly("Role/shop: [\"\"] [pods] [get, list, watch]");
    assertThat(
            rules(
                GenerateOptions.EXACT,
                res("list", "pods", "shop", ""),
                res("list", "pods", "", "")))
        .containsExactly("ClusterRole: [\"\"] [pods] [list]");
    assertThat(rules(VERBS_ONLY, res("get", "pods", "shop", "web-0"), res("list", "pods", "", "")))
        .as("a cluster-wide unnamed get covers a named get in a namespace")
        .containsExactly("ClusterRole: [\"\"] [pods] [get, list, watch]");
    assertThat(
            rules(
                GenerateOptions.EXACT,
                res("get", "pods", "shop", "web-0"),
                res("get", "pods", "", "web-0")))
        .containsExactly("ClusterRole: [\"\"] [pods] names=[web-0] [get]");
  }

  @Test
  void aGrantIsOnlyPrunedByTheSameVerbOnTheSameResource() {
    assertThat(
            rules(
                GenerateOptions.EXACT,
                res("get", "pods", "shop", "web-0"),
                res("list", "pods", "shop", ""),
                res("get", "pods/log", "shop", "")))
        .containsExactly(
            "Role/shop: [\"\"] [pods] names=[web-0] [get]",
            "Role/shop: [\"\"] [pods] [list]",
            "Role/shop: [\"\"] [pods/log] [get]");
  }

  @Test
  void namespacedGrantsGoToTheirRoleAndEverythingElseToTheClusterRole() {
    assertThat(
            rules(
                GenerateOptions.EXACT,
                RequestAttributes.nonResource("get", "/metrics"),
                res("get", "nodes", "", "node-1"),
                res("delete", "namespaces", "team-a", "team-a"),
                res("get", "secrets", "shop", "db")))
        .containsExactly(
            "Role/shop: [\"\"] [secrets] names=[db] [get]",
            "Role/team-a: [\"\"] [namespaces] names=[team-a] [delete]",
            "ClusterRole: [\"\"] [nodes] names=[node-1] [get]",
            "ClusterRole: urls=[/metrics] [get]");
  }

  @Test
  void thePolicyCountsTheRulesOfEveryRole() {
    var synthesizer = new RuleSynthesizer(GenerateOptions.EXACT);
    GeneratedPolicy both =
        synthesizer.synthesize(
            List.of(
                res("get", "secrets", "shop", "db"),
                res("list", "pods", "dev", ""),
                RequestAttributes.nonResource("get", "/metrics")));
    assertThat(both.ruleCount()).isEqualTo(3);
    assertThat(both.isEmpty()).isFalse();
    assertThat(synthesizer.synthesize(List.of(res("get", "secrets", "shop", "db"))).isEmpty())
        .isFalse();
    assertThat(synthesizer.synthesize(List.of(res("get", "nodes", "", "n1"))).isEmpty()).isFalse();
    assertThat(synthesizer.synthesize(List.of()).isEmpty()).isTrue();
  }

  @Test
  void theRulesDoNotDependOnTheOrderRequestsWereSeenIn() {
    List<RequestAttributes> requests =
        new ArrayList<>(
            List.of(
                res("get", "configmaps", "shop", "a"),
                res("get", "configmaps", "dev", "b"),
                res("watch", "pods", "shop", ""),
                res("get", "pods", "shop", "web-0"),
                res("update", "deployments", "shop", "web"),
                res("list", "pods", "", ""),
                RequestAttributes.nonResource("get", "/metrics"),
                RequestAttributes.resource("impersonate", "", "users", "", "", "bob")));
    List<String> first =
        rules(GenerateOptions.DEFAULTS, requests.toArray(RequestAttributes[]::new));
    Random random = new Random(42);
    for (int i = 0; i < 20; i++) {
      Collections.shuffle(requests, random);
      assertThat(rules(GenerateOptions.DEFAULTS, requests.toArray(RequestAttributes[]::new)))
          .isEqualTo(first);
    }
  }
}
