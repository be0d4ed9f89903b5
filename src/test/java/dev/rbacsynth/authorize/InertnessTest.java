package dev.rbacsynth.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Grants a binding can never give (semantics.md §5.4): through a RoleBinding, non-resource URLs and
 * built-in cluster-scoped resources; never through a ClusterRoleBinding.
 */
class InertnessTest {

  private static final BindingRef ROLE_BINDING =
      new BindingRef("RoleBinding", "shop", "b", "ClusterRole", "r");
  private static final BindingRef CLUSTER_ROLE_BINDING =
      new BindingRef("ClusterRoleBinding", "", "b", "ClusterRole", "r");

  @Test
  void aRoleBindingCannotGrantUrlsOrClusterScopedResources() {
    assertThat(Inertness.why(ROLE_BINDING, Grant.url("get", "/metrics")))
        .isEqualTo(
            "non-resource URLs are only granted by a ClusterRoleBinding; RoleBinding b in shop"
                + " grants nothing for /metrics");
    assertThat(Inertness.why(ROLE_BINDING, Grant.resource("get", "", "nodes/proxy", "")))
        .isEqualTo(
            "nodes is cluster-scoped; RoleBinding b only grants in namespace shop, so this grants"
                + " nothing");
    assertThat(
            Inertness.why(
                ROLE_BINDING,
                Grant.resource("create", "rbac.authorization.k8s.io", "clusterroles", "")))
        .isNotEmpty();
  }

  @Test
  void namespacedResourcesWildcardGroupsAndClusterRoleBindingsAreNeverInert() {
    assertThat(Inertness.why(ROLE_BINDING, Grant.resource("get", "", "pods", ""))).isEmpty();
    assertThat(Inertness.why(ROLE_BINDING, Grant.resource("delete", "", "namespaces", "shop")))
        .as("namespace shop is in namespace shop")
        .isEmpty();
    assertThat(Inertness.why(ROLE_BINDING, Grant.resource("get", "*", "nodes", "")))
        .as("nodes in some other group may be namespaced")
        .isEmpty();
    assertThat(Inertness.why(ROLE_BINDING, Grant.resource("get", "example.com", "nodes", "")))
        .isEmpty();
    assertThat(Inertness.why(CLUSTER_ROLE_BINDING, Grant.url("get", "/metrics"))).isEmpty();
    assertThat(Inertness.why(CLUSTER_ROLE_BINDING, Grant.resource("get", "", "nodes", "")))
        .isEmpty();
  }

  @Test
  void bindOnAClusterRoleIsCheckedInTheBindingsNamespace() {
    // case 28: generate writes this very rule into a Role in team-a
    String rbac = "rbac.authorization.k8s.io";
    assertThat(Inertness.why(ROLE_BINDING, Grant.resource("bind", rbac, "clusterroles", "edit")))
        .isEmpty();
    assertThat(Inertness.why(ROLE_BINDING, Grant.resource("*", rbac, "clusterroles", "")))
        .isEmpty();
    assertThat(Inertness.why(ROLE_BINDING, Grant.resource("escalate", rbac, "clusterroles", "")))
        .as("escalate on a ClusterRole is checked cluster-wide")
        .isNotEmpty();
    assertThat(Inertness.why(ROLE_BINDING, Grant.resource("get", rbac, "clusterroles", "")))
        .isNotEmpty();
  }
}
