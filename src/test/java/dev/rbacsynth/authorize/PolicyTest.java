package dev.rbacsynth.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Manifests;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How the policy indexes roles and bindings, and the aggregation fixpoint of semantics.md §5.5: an
 * aggregated ClusterRole's rules are the union of the roles its selectors pick, transitively,
 * whatever their names' order, and its written rules are ignored.
 */
class PolicyTest {

  private static Policy policy(String yaml) {
    return Policy.of(Manifests.objects(yaml));
  }

  /** A ClusterRole with labels, an optional aggregation selector and one rule on {@code res}. */
  private static String clusterRole(String name, String labels, String selector, String res) {
    return """
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: %s, labels: {%s}}
        %s
        rules: [{apiGroups: [''], resources: [%s], verbs: [get]}]
        """
        .formatted(
            name,
            labels,
            selector.isEmpty() ? "" : "aggregationRule: {clusterRoleSelectors: [" + selector + "]}",
            res);
  }

  /** The resources of a ClusterRole's effective rules, in order. */
  private static List<String> resourcesOf(Policy p, String clusterRole) {
    return p.clusterRoleRules(clusterRole).stream()
        .map(PolicyRule::getResources)
        .flatMap(List::stream)
        .toList();
  }

  @Test
  void aggregationIsTransitiveWhateverTheOrderOfNames() {
    // a-top is sorted before m-middle, so one pass in name order is not enough.
    Policy p =
        policy(
            clusterRole("a-top", "", "{matchLabels: {to: top}}", "written-top")
                + clusterRole("m-middle", "to: top", "{matchLabels: {to: middle}}", "written-mid")
                + clusterRole("z-leaf", "to: middle", "", "leaves")
                + clusterRole("b-leaf", "to: top", "", "branches"));
    assertThat(resourcesOf(p, "m-middle")).containsExactly("leaves");
    assertThat(resourcesOf(p, "a-top")).containsExactlyInAnyOrder("branches", "leaves");
    assertThat(resourcesOf(p, "z-leaf")).containsExactly("leaves");
  }

  @Test
  void aggregatedRolesThatSelectEachOtherReachTheSameFixpoint() {
    Policy p =
        policy(
            clusterRole("a", "to: b", "{matchLabels: {to: a}}", "written-a")
                + clusterRole("b", "to: a", "{matchLabels: {to: b}}", "written-b")
                + clusterRole("c", "to: a", "", "pods"));
    assertThat(resourcesOf(p, "a")).containsExactly("pods");
    assertThat(resourcesOf(p, "b")).containsExactly("pods");
  }

  @Test
  void anAggregatedRoleSkipsItselfAndRepeatsNoRule() {
    Policy p =
        policy(
            clusterRole("self", "to: self", "{matchLabels: {to: self}}", "written")
                + clusterRole("x", "to: self", "", "pods")
                + clusterRole("y", "to: self", "", "pods"));
    assertThat(resourcesOf(p, "self")).containsExactly("pods");
  }

  @Test
  void anEmptySelectorAggregatesEveryClusterRole() {
    // metav1.LabelSelectorAsSelector turns {} into "everything", and validation accepts it.
    Policy p =
        policy(
            clusterRole("plain", "", "", "pods")
                + clusterRole("all", "", "{}", "written")
                + clusterRole("x", "to: any", "", "secrets"));
    assertThat(resourcesOf(p, "plain")).containsExactly("pods");
    assertThat(resourcesOf(p, "all")).containsExactly("pods", "secrets");
    Policy nullEntry =
        policy(clusterRole("plain", "", "", "pods") + clusterRole("all", "", "null", "written"));
    assertThat(resourcesOf(nullEntry, "all"))
        .as("a null list entry decodes as an empty selector")
        .containsExactly("pods");
    assertThat(p.clusterRoleRules("missing")).isNull();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{key: tier, operator: In, values: [gold, silver]}     | gold, silver",
        "{key: tier, operator: NotIn, values: [gold]}          | silver, untiered",
        "{key: tier, operator: Exists}                         | gold, silver",
        "{key: tier, operator: DoesNotExist}                   | untiered",
        "{key: tier, operator: Near, values: [gold]}           | ''",
      })
  void matchExpressionsSelectByOperator(String expression, String selected) {
    Policy p =
        policy(
            clusterRole("agg", "", "{matchExpressions: [" + expression + "]}", "written")
                + clusterRole("g", "tier: gold", "", "gold")
                + clusterRole("s", "tier: silver", "", "silver")
                + clusterRole("u", "other: x", "", "untiered"));
    List<String> expected = selected.isEmpty() ? List.of() : List.of(selected.split(", "));
    assertThat(resourcesOf(p, "agg")).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void matchLabelsAndExpressionsMustAllHold() {
    Policy p =
        policy(
            clusterRole(
                    "agg",
                    "",
                    "{matchLabels: {team: a}, matchExpressions: [{key: tier, operator: Exists}]}",
                    "written")
                + clusterRole("both", "team: a, tier: gold", "", "both")
                + clusterRole("team-only", "team: a", "", "team-only")
                + clusterRole("tier-only", "tier: gold", "", "tier-only"));
    assertThat(resourcesOf(p, "agg")).containsExactly("both");
  }

  @Test
  void rolesAreFoundInTheirNamespaceAndBindingsByNamespace() {
    Policy p =
        policy(
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: reader, namespace: shop}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: r, namespace: shop}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
            """);
    assertThat(p.roleRules("shop", "reader")).isEmpty();
    assertThat(p.roleRules("other", "reader")).isNull();
    assertThat(p.roleBindingsIn("shop")).hasSize(1);
    assertThat(p.roleBindingsIn("other")).isEmpty();
  }
}
