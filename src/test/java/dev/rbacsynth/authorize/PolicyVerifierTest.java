package dev.rbacsynth.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Manifests;
import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.event.UserInfo;
import dev.rbacsynth.kube.Identities;
import dev.rbacsynth.kube.RbacObjects;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The proof generate runs on its output: every wanted request is allowed (with the defaults), and
 * removing any one rule denies some wanted request.
 */
class PolicyVerifierTest {

  private static final UserInfo ALICE = Identities.of("alice", List.of());

  /** A Role in shop and a ClusterRole with the given rules (flow YAML), both bound to alice. */
  private static RbacObjects generated(String roleRules, String clusterRoleRules) {
    String yaml =
        """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: gen, namespace: shop}
        rules: %s
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: gen, namespace: shop}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: gen}
        subjects: [{kind: User, apiGroup: rbac.authorization.k8s.io, name: alice}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: gen}
        rules: %s
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: gen}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: gen}
        subjects: [{kind: User, apiGroup: rbac.authorization.k8s.io, name: alice}]
        """
            .formatted(roleRules, clusterRoleRules);
    return Manifests.objects(yaml);
  }

  /** Each request made by alice. */
  private static Map<RequestAttributes, UserInfo> byAlice(RequestAttributes... requests) {
    Map<RequestAttributes, UserInfo> out = new LinkedHashMap<>();
    for (RequestAttributes r : requests) {
      out.put(r, ALICE);
    }
    return out;
  }

  private static final RequestAttributes LIST_PODS =
      RequestAttributes.resource("list", "", "pods", "", "shop", "");
  private static final RequestAttributes METRICS = RequestAttributes.nonResource("get", "/metrics");

  @Test
  void minimalRulesAreProven() {
    PolicyVerifier.Result r =
        PolicyVerifier.verify(
            generated(
                "[{apiGroups: [''], resources: [pods], verbs: [list]}]",
                "[{nonResourceURLs: [/metrics], verbs: [get]}]"),
            DefaultPolicy.objects(),
            byAlice(LIST_PODS, METRICS));
    assertThat(r.notAllowed()).isEmpty();
    assertThat(r.unneededRules()).isEmpty();
    assertThat(r.ok()).isTrue();
  }

  @Test
  void aRuleNoWantedRequestNeedsIsReportedWithItsPosition() {
    PolicyVerifier.Result r =
        PolicyVerifier.verify(
            generated(
                "[{apiGroups: [''], resources: [pods], verbs: [list]},"
                    + " {apiGroups: [''], resources: [secrets], verbs: [get]}]",
                "[{nonResourceURLs: [/version], verbs: [get]},"
                    + " {nonResourceURLs: [/metrics], verbs: [get]}]"),
            DefaultPolicy.objects(),
            byAlice(LIST_PODS, METRICS));
    assertThat(r.notAllowed()).isEmpty();
    assertThat(r.unneededRules())
        .as("secrets: used by nothing; /version: the defaults grant it")
        .containsExactly("Role shop/gen rule 2", "ClusterRole gen rule 1");
    assertThat(r.ok()).isFalse();
  }

  @Test
  void aWantedRequestTheRulesDoNotAllowIsReportedAndTheOtherRulesStillNeeded() {
    RequestAttributes getSecret =
        RequestAttributes.resource("get", "", "secrets", "", "shop", "db");
    PolicyVerifier.Result r =
        PolicyVerifier.verify(
            generated(
                "[{apiGroups: [''], resources: [pods], verbs: [list]}]",
                "[{nonResourceURLs: [/metrics], verbs: [get]}]"),
            DefaultPolicy.objects(),
            byAlice(LIST_PODS, getSecret, METRICS));
    assertThat(r.notAllowed()).containsExactly(getSecret);
    assertThat(r.unneededRules()).isEmpty();
    assertThat(r.ok()).isFalse();
  }
}
