package dev.rbacsynth.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Manifests;
import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.kube.RbacObjects;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tightness half of {@code generate --verify}: every check a bound rule allows must have been
 * observed, and no rule may hold a wildcard. Manifests are shaped like what generate writes (and,
 * for the wide cases, like the rules issue 15 reproduced from crafted requests).
 */
class TightnessTest {

  private static final String ROLE_HEADER =
      """
      apiVersion: rbac.authorization.k8s.io/v1
      kind: Role
      metadata:
        name: rbac-synth:web
        namespace: shop
      rules:
      """;
  private static final String ROLE_BINDING =
      """
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata:
        name: rbac-synth:web
        namespace: shop
      roleRef:
        apiGroup: rbac.authorization.k8s.io
        kind: Role
        name: rbac-synth:web
      subjects:
      - kind: ServiceAccount
        name: web
        namespace: shop
      """;
  private static final String CLUSTER_ROLE_HEADER =
      """
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRole
      metadata:
        name: rbac-synth:web
      rules:
      """;
  private static final String CLUSTER_ROLE_BINDING =
      """
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRoleBinding
      metadata:
        name: rbac-synth:web
      roleRef:
        apiGroup: rbac.authorization.k8s.io
        kind: ClusterRole
        name: rbac-synth:web
      subjects:
      - kind: ServiceAccount
        name: web
        namespace: shop
      """;

  private static RbacObjects role(String rules) {
    return Manifests.objects(ROLE_HEADER + rules + ROLE_BINDING);
  }

  private static RbacObjects clusterRole(String rules) {
    return Manifests.objects(CLUSTER_ROLE_HEADER + rules + CLUSTER_ROLE_BINDING);
  }

  private static final RequestAttributes GET_CONFIG =
      RequestAttributes.resource("get", "", "configmaps", "", "shop", "web-config");
  private static final RequestAttributes LIST_PODS =
      RequestAttributes.resource("list", "", "pods", "", "shop", "");
  private static final RequestAttributes EXEC =
      RequestAttributes.resource("create", "", "pods", "exec", "shop", "web-0");

  @Test
  void exactlyTheObservedChecksAreTight() {
    RbacObjects o =
        role(
            """
            - apiGroups: [""]
              resources: [configmaps]
              resourceNames: [web-config]
              verbs: [get]
            - apiGroups: [""]
              resources: [pods]
              verbs: [list]
            - apiGroups: [""]
              resources: [pods/exec]
              resourceNames: [web-0]
              verbs: [create]
            """);
    assertThat(Tightness.wider(o, List.of(GET_CONFIG, LIST_PODS, EXEC))).isEmpty();
    assertThat(Tightness.wildcards(o)).isEmpty();
  }

  @Test
  void aRuleWithoutNamesForNamedRequestsIsWider() {
    RbacObjects o =
        role(
            """
            - apiGroups: [""]
              resources: [pods/exec]
              verbs: [create]
            """);
    assertThat(Tightness.wider(o, List.of(EXEC)))
        .containsExactly(
            "Role shop/rbac-synth:web rule 1 allows create pods/exec -n shop with any name, which"
                + " was not observed");
  }

  @Test
  void aCrossProductBeyondTheObservedPairsIsWider() {
    RbacObjects o =
        role(
            """
            - apiGroups: [""]
              resources: [configmaps, pods]
              resourceNames: [web-config]
              verbs: [get, list]
            """);
    assertThat(Tightness.wider(o, List.of(GET_CONFIG)))
        .hasSize(3)
        .allSatisfy(line -> assertThat(line).endsWith("which was not observed"));
  }

  @Test
  void aClusterRoleForNamespacedRequestsIsWider() {
    RbacObjects o =
        clusterRole(
            """
            - apiGroups: [""]
              resources: [pods]
              verbs: [list]
            """);
    assertThat(Tightness.wider(o, List.of(LIST_PODS)))
        .containsExactly(
            "ClusterRole rbac-synth:web rule 1 allows list pods (cluster-wide) with any name, which"
                + " was not observed");
    assertThat(Tightness.wider(o, List.of(LIST_PODS.withNamespace("")))).isEmpty();
  }

  @Test
  void theRulesCraftedRequestsUsedToYieldAreWildcards() {
    RbacObjects o =
        clusterRole(
            """
            - apiGroups: ["*"]
              resources: ["*"]
              verbs: [list]
            - nonResourceURLs: ["/*"]
              verbs: [get]
            - nonResourceURLs: [/logs]
              verbs: ["*"]
            - apiGroups: [apps]
              resources: ["*/scale"]
              verbs: [update]
            - apiGroups: [""]
              resources: [pods/exec]
              resourceNames: [""]
              verbs: [create]
            """);
    List<RequestAttributes> observed =
        List.of(
            RequestAttributes.resource("list", "*", "*", "", "", ""),
            RequestAttributes.nonResource("get", "/*"),
            RequestAttributes.nonResource("*", "/logs"),
            RequestAttributes.resource("update", "apps", "*", "scale", "", ""),
            RequestAttributes.resource("create", "", "pods", "exec", "", ""));
    assertThat(Tightness.wildcards(o))
        .containsExactly(
            "ClusterRole rbac-synth:web rule 1 has API group *",
            "ClusterRole rbac-synth:web rule 1 has resource *",
            "ClusterRole rbac-synth:web rule 2 has URL /*",
            "ClusterRole rbac-synth:web rule 3 has verb *",
            "ClusterRole rbac-synth:web rule 4 has resource */scale",
            "ClusterRole rbac-synth:web rule 5 has an empty resource name, which matches requests"
                + " without a name");
    // even when the wildcard itself was "observed", it is never tight
    assertThat(Tightness.wider(o, observed)).containsAll(Tightness.wildcards(o));
  }

  @Test
  void aRuleNoBindingReachesAllowsNothing() {
    RbacObjects o =
        Manifests.objects(
            CLUSTER_ROLE_HEADER
                + """
                - apiGroups: ["*"]
                  resources: ["*"]
                  verbs: ["*"]
                """);
    assertThat(Tightness.wider(o, List.of())).isEmpty();
  }
}
