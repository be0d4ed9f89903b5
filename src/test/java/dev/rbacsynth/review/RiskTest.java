package dev.rbacsynth.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.authorize.BindingRef;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.json.JsonMapper;

/**
 * Dangerous grants, decided by the one rule matcher (so a rule on the exec subresource of every
 * resource counts as pods/exec), and only where the binding can give them: cluster-scoped targets
 * need a ClusterRoleBinding.
 */
class RiskTest {
  /** A rule in flow YAML, as it would appear in a manifest. */
  private static PolicyRule rule(String yaml) {
    return JsonMapper.builder().build().convertValue(new Yaml().load(yaml), PolicyRule.class);
  }

  private static AppliedRule clusterWide(String rule) {
    return new AppliedRule(
        new BindingRef("ClusterRoleBinding", "", "b", "ClusterRole", "r"),
        "User \"u\"",
        0,
        rule(rule));
  }

  private static AppliedRule inNamespace(String namespace, String rule) {
    return new AppliedRule(
        new BindingRef("RoleBinding", namespace, "b", "ClusterRole", "r"),
        "User \"u\"",
        0,
        rule(rule));
  }

  /** {@code id: why} of each risk. */
  private static List<String> risks(AppliedRule r) {
    return Risk.of(r).stream().map(x -> x.risk() + ": " + x.why()).toList();
  }

  private static List<String> ids(AppliedRule r) {
    return Risk.of(r).stream().map(Risk::risk).toList();
  }

  @Test
  void aFullWildcardIsOneFinding() {
    assertThat(risks(clusterWide("{apiGroups: ['*'], resources: ['*'], verbs: ['*']}")))
        .containsExactly(
            "wildcard: \"*\" apiGroups, resources and verbs: full control of every resource in"
                + " the whole cluster, including secrets, RBAC and workloads");
    assertThat(risks(inNamespace("shop", "{apiGroups: ['*'], resources: ['*'], verbs: ['*']}")))
        .containsExactly(
            "wildcard: \"*\" apiGroups, resources and verbs: full control of every resource in"
                + " namespace shop, including secrets, RBAC and workloads");
  }

  @Test
  void partialWildcardsSayWhatTheyOpen() {
    assertThat(risks(inNamespace("shop", "{apiGroups: [''], resources: ['*'], verbs: [get]}")))
        .first()
        .isEqualTo(
            "wildcard: \"*\" resources: every resource and subresource of apiGroups [\"\"]"
                + " (secrets, pods/exec, ...) in namespace shop");
    assertThat(risks(inNamespace("shop", "{apiGroups: [apps], resources: ['*'], verbs: [get]}")))
        .containsExactly(
            "wildcard: \"*\" resources: every resource and subresource of apiGroups [apps] in"
                + " namespace shop");
    assertThat(risks(inNamespace("shop", "{apiGroups: ['*'], resources: [pods], verbs: [list]}")))
        .containsExactly(
            "wildcard: \"*\" apiGroups: its resources in every API group, including ones added"
                + " later in namespace shop");
    assertThat(
            risks(
                inNamespace("shop", "{apiGroups: [apps], resources: [deployments], verbs: ['*']}")))
        .containsExactly("wildcard: \"*\" verbs: every verb (including delete) in namespace shop");
    assertThat(risks(clusterWide("{nonResourceURLs: ['*'], verbs: [get]}")))
        .containsExactly(
            "wildcard: \"*\" nonResourceURLs: every non-resource path (/metrics, /debug/pprof,"
                + " /logs) in the whole cluster");
    assertThat(ids(clusterWide("{apiGroups: ['*'], resources: ['*'], verbs: [get]}")))
        .as("get on every resource: secrets, and WebSocket exec and attach, and the kubelet API")
        .containsExactly(
            "wildcard", "secrets-read-cluster-wide", "pods-exec", "pods-attach", "nodes-proxy");
  }

  /**
   * A wildcard verb restricted by resourceNames gives every verb on those objects only, not on any
   * object of the cluster; the special verbs are named only where the resources take them. The rule
   * is shaped like the Kubernetes Dashboard's key-holder Role (recommended.yaml in
   * /work/shared/rbac/kubernetes-dashboard, which lists get, update, delete), with {@code *} verbs.
   */
  @Test
  void aWildcardVerbOnNamedObjectsSaysWhichObjects() {
    String keyHolder =
        "{apiGroups: [''], resources: [secrets], resourceNames: [kubernetes-dashboard-key-holder,"
            + " kubernetes-dashboard-certs], verbs: ['*']}";
    assertThat(risks(inNamespace("kubernetes-dashboard", keyHolder)))
        .containsExactly(
            "wildcard: \"*\" verbs: every verb (including delete) on the objects named"
                + " kubernetes-dashboard-key-holder, kubernetes-dashboard-certs only (requests that"
                + " name an object: get, update, patch, delete, and list or watch of one name; no"
                + " create of a new object, no deletecollection) in namespace kubernetes-dashboard");
    assertThat(risks(clusterWide(keyHolder)))
        .containsExactly(
            "wildcard: \"*\" verbs: every verb (including delete) on the objects named"
                + " kubernetes-dashboard-key-holder, kubernetes-dashboard-certs only (requests that"
                + " name an object: get, update, patch, delete, and list or watch of one name; no"
                + " create of a new object, no deletecollection) in any namespace or cluster-scoped",
            "secrets-read-cluster-wide: get, list, watch secrets named kubernetes-dashboard-key-holder,"
                + " kubernetes-dashboard-certs only in every namespace: whatever secret of such a"
                + " name any namespace holds, not every secret")
        .noneMatch(w -> w.contains("whole cluster") || w.contains("every service-account token"));
    assertThat(
            risks(
                clusterWide(
                    "{apiGroups: ['*'], resources: ['*'], resourceNames: [web], verbs: ['*']}")))
        .containsExactly(
            "wildcard: \"*\" apiGroups, resources and verbs, on objects named web only (requests"
                + " that name an object: get, update, patch, delete, and list or watch of one name;"
                + " no create of a new object, no deletecollection): every verb on any resource's"
                + " objects of those names in any namespace or cluster-scoped");
  }

  @Test
  void aWildcardVerbNamesOnlyTheSpecialVerbsItsResourcesTake() {
    assertThat(
            risks(
                clusterWide(
                    "{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles],"
                        + " verbs: ['*']}")))
        .first()
        .isEqualTo(
            "wildcard: \"*\" verbs: every verb (including delete, escalate and bind) in the whole"
                + " cluster");
    assertThat(risks(clusterWide("{apiGroups: [''], resources: ['*'], verbs: ['*']}")))
        .first()
        .isEqualTo(
            "wildcard: \"*\" resources and verbs: every verb (including delete and impersonate);"
                + " every resource and subresource of apiGroups [\"\"] (secrets, pods/exec, ...) in"
                + " the whole cluster");
    assertThat(
            risks(
                clusterWide(
                    "{apiGroups: [monitoring.coreos.com], resources: [prometheuses],"
                        + " verbs: ['*']}")))
        .as("the review's example: escalate, bind and impersonate mean nothing on prometheuses")
        .containsExactly(
            "wildcard: \"*\" verbs: every verb (including delete) in the whole cluster");
  }

  @Test
  void readingSecretsIsRiskyOnlyInEveryNamespace() {
    assertThat(risks(clusterWide("{apiGroups: [''], resources: [secrets], verbs: [list, delete]}")))
        .containsExactly(
            "secrets-read-cluster-wide: list secrets in every namespace: every service-account"
                + " token and credential");
    assertThat(risks(inNamespace("shop", "{apiGroups: [''], resources: [secrets], verbs: [get]}")))
        .isEmpty();
  }

  @Test
  void escalateOnClusterRolesNeedsAClusterRoleBindingButBindDoesNot() {
    String escalate =
        "{apiGroups: [rbac.authorization.k8s.io], resources: [roles, clusterroles], verbs: [escalate]}";
    assertThat(risks(clusterWide(escalate)))
        .containsExactly(
            "escalate: escalate roles.rbac.authorization.k8s.io, clusterroles.rbac.authorization.k8s.io:"
                + " may write roles with permissions it does not hold");
    assertThat(risks(inNamespace("shop", escalate)))
        .containsExactly(
            "escalate: escalate roles.rbac.authorization.k8s.io in namespace shop: may write roles"
                + " with permissions it does not hold");
    assertThat(
            risks(
                inNamespace(
                    "shop",
                    "{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles],"
                        + " resourceNames: [edit], verbs: [bind]}")))
        .as("bind is checked in the namespace of the binding written: case 28")
        .containsExactly(
            "bind: bind clusterroles.rbac.authorization.k8s.io named edit only in namespace shop:"
                + " may bind those roles without holding them");
    assertThat(
            risks(
                clusterWide(
                    "{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles],"
                        + " resourceNames: [edit], verbs: [bind]}")))
        .containsExactly(
            "bind: bind clusterroles.rbac.authorization.k8s.io named edit only: may bind those"
                + " roles without holding them");
  }

  @Test
  void impersonationOfUsersNeedsAClusterRoleBindingButServiceAccountsNot() {
    assertThat(
            ids(
                inNamespace(
                    "shop", "{apiGroups: [''], resources: [users, groups], verbs: [impersonate]}")))
        .isEmpty();
    assertThat(
            risks(
                inNamespace(
                    "shop",
                    "{apiGroups: [''], resources: [serviceaccounts], verbs: [impersonate]}")))
        .containsExactly(
            "impersonate: impersonate serviceaccounts: may act as other identities, up to cluster"
                + " administrators");
    assertThat(
            risks(
                clusterWide(
                    "{apiGroups: [authentication.k8s.io], resources: [users],"
                        + " verbs: ['impersonate:user-info']}")))
        .containsExactly(
            "impersonate: impersonate:user-info users.authentication.k8s.io: may act as other"
                + " identities, up to cluster administrators");
  }

  @Test
  void podSubresourcesAreMatchedLikeTheAuthorizerDoes() {
    assertThat(
            risks(inNamespace("shop", "{apiGroups: [''], resources: ['*/exec'], verbs: [create]}")))
        .containsExactly(
            "pods-exec: create pods/exec in namespace shop: runs commands in containers and reads"
                + " their secrets and tokens");
    assertThat(
            ids(inNamespace("shop", "{apiGroups: [''], resources: ['pods/*'], verbs: [create]}")))
        .as("pods/* is no wildcard")
        .isEmpty();
    assertThat(ids(inNamespace("shop", "{apiGroups: [''], resources: [pods], verbs: [create]}")))
        .isEmpty();
    assertThat(ids(clusterWide("{apiGroups: [''], resources: [pods/attach], verbs: [get]}")))
        .containsExactly("pods-attach");
    assertThat(ids(clusterWide("{apiGroups: [''], resources: [nodes/proxy], verbs: [get]}")))
        .containsExactly("nodes-proxy");
    assertThat(
            ids(inNamespace("shop", "{apiGroups: [''], resources: [nodes/proxy], verbs: [get]}")))
        .isEmpty();
    assertThat(
            ids(
                inNamespace(
                    "shop",
                    "{apiGroups: [''], resources: [serviceaccounts/token], verbs: [create]}")))
        .containsExactly("serviceaccount-token");
  }

  @Test
  void creatingWorkloadsIsRiskyInKubeSystemOrEverywhere() {
    String createPods = "{apiGroups: ['', apps], resources: [pods, daemonsets], verbs: [create]}";
    assertThat(risks(inNamespace("kube-system", createPods)))
        .containsExactly(
            "workloads-in-kube-system: create pods, daemonsets.apps in kube-system: runs code there"
                + " as any kube-system service account, controllers' included");
    assertThat(ids(clusterWide(createPods))).containsExactly("workloads-in-kube-system");
    assertThat(ids(inNamespace("shop", createPods))).isEmpty();
  }

  @Test
  void csrApprovalSignersAndEmptyResourceNames() {
    assertThat(
            ids(
                clusterWide(
                    "{apiGroups: [certificates.k8s.io], resources:"
                        + " [certificatesigningrequests/approval], verbs: [update]}")))
        .containsExactly("csr-approval");
    assertThat(
            ids(
                clusterWide(
                    "{apiGroups: [certificates.k8s.io], resources: [signers], verbs: [approve]}")))
        .containsExactly("signer-approve");
    assertThat(
            risks(
                inNamespace(
                    "shop",
                    "{apiGroups: [''], resources: [configmaps], resourceNames: [''], verbs: [list]}")))
        .containsExactly(
            "empty-resource-name: resourceNames [\"\"] also matches requests without a name:"
                + " create, list, watch, deletecollection");
  }
}
