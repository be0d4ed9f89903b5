package dev.rbacsynth.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.TestData;
import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.event.UserInfo;
import dev.rbacsynth.kube.Identities;
import dev.rbacsynth.kube.RbacObjects;
import dev.rbacsynth.read.InputSource;
import dev.rbacsynth.read.RbacManifestReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The RBAC evaluation rules of semantics.md §5, each against the one authorizer. */
class AuthorizerSemanticsTest {

  private static final UserInfo WEB = Identities.of("system:serviceaccount:shop:web", List.of());
  private static final UserInfo OTHER_SA =
      Identities.of("system:serviceaccount:shop:other", List.of());

  private static RbacObjects manifests(String yaml) {
    return new RbacManifestReader()
        .read("test.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
        .objects();
  }

  private static Authorizer authorizer(String yaml) {
    return new Authorizer(Policy.of(manifests(yaml)));
  }

  /**
   * A ClusterRole with one rule (flow YAML), bound to the shop:web service account by a
   * ClusterRoleBinding.
   */
  private static Authorizer clusterWide(String rule) {
    return authorizer(
        """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: r}
        rules:
        - %s
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: b}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: r}
        subjects: [{kind: ServiceAccount, name: web, namespace: shop}]
        """
            .formatted(rule));
  }

  private static RequestAttributes get(
      String group, String resource, String sub, String ns, String name) {
    return RequestAttributes.resource("get", group, resource, sub, ns, name);
  }

  @Test
  void aResourceAndItsSubresourcesAreDistinct() {
    Authorizer pods = clusterWide("{apiGroups: [''], resources: [pods], verbs: [get]}");
    assertThat(pods.allows(WEB, get("", "pods", "", "shop", "web-0"))).isTrue();
    assertThat(pods.allows(WEB, get("", "pods", "status", "shop", "web-0"))).isFalse();
    assertThat(pods.allows(WEB, get("", "pods", "log", "shop", "web-0"))).isFalse();
    Authorizer log = clusterWide("{apiGroups: [''], resources: [pods/log], verbs: [get]}");
    assertThat(log.allows(WEB, get("", "pods", "log", "shop", "web-0"))).isTrue();
    assertThat(log.allows(WEB, get("", "pods", "", "shop", "web-0"))).isFalse();
  }

  @Test
  void starSlashScaleMatchesEveryScaleButPodsSlashStarIsNoWildcard() {
    Authorizer scale =
        clusterWide("{apiGroups: ['*'], resources: ['*/scale'], verbs: [get, update]}");
    assertThat(scale.allows(WEB, get("apps", "deployments", "scale", "shop", "web"))).isTrue();
    assertThat(scale.allows(WEB, get("example.com", "widgets", "scale", "shop", "w1"))).isTrue();
    assertThat(scale.allows(WEB, get("apps", "deployments", "", "shop", "web"))).isFalse();
    assertThat(scale.allows(WEB, get("apps", "deployments", "status", "shop", "web"))).isFalse();
    Authorizer podsStar =
        clusterWide("{apiGroups: [''], resources: ['pods/*'], verbs: [get, create]}");
    assertThat(podsStar.allows(WEB, get("", "pods", "log", "shop", "web-0"))).isFalse();
    assertThat(podsStar.allows(WEB, get("", "pods", "exec", "shop", "web-0"))).isFalse();
    assertThat(podsStar.allows(WEB, get("", "pods", "", "shop", "web-0"))).isFalse();
    Authorizer star = clusterWide("{apiGroups: ['*'], resources: ['*'], verbs: ['*']}");
    assertThat(
            star.allows(
                WEB, RequestAttributes.resource("impersonate", "", "users", "", "", "admin")))
        .isTrue();
    assertThat(star.allows(WEB, get("", "pods", "exec", "shop", "web-0"))).isTrue();
  }

  @Test
  void resourceNamesRestrictNamedRequestsAndNeverMatchNamelessOnes() {
    Authorizer named =
        clusterWide(
            "{apiGroups: [''], resources: [configmaps], resourceNames: [app], "
                + "verbs: [get, list, watch, create]}");
    assertThat(named.allows(WEB, get("", "configmaps", "", "shop", "app"))).isTrue();
    assertThat(named.allows(WEB, get("", "configmaps", "", "shop", "other"))).isFalse();
    assertThat(
            named.allows(WEB, RequestAttributes.resource("list", "", "configmaps", "", "shop", "")))
        .isFalse();
    assertThat(
            named.allows(
                WEB, RequestAttributes.resource("watch", "", "configmaps", "", "shop", "app")))
        .as("a watch with fieldSelector=metadata.name=app is named")
        .isTrue();
    assertThat(
            named.allows(
                WEB, RequestAttributes.resource("create", "", "configmaps", "", "shop", "")))
        .isFalse();
    Authorizer star =
        clusterWide(
            "{apiGroups: [''], resources: [configmaps], resourceNames: ['*'], verbs: [get]}");
    assertThat(star.allows(WEB, get("", "configmaps", "", "shop", "app")))
        .as("'*' is a literal name")
        .isFalse();
    Authorizer empty =
        clusterWide(
            "{apiGroups: [''], resources: [configmaps], resourceNames: [''], verbs: [list]}");
    assertThat(
            empty.allows(WEB, RequestAttributes.resource("list", "", "configmaps", "", "shop", "")))
        .as("resourceNames [\"\"] matches nameless requests")
        .isTrue();
  }

  @Test
  void nonResourceUrlsMatchExactlyOrByTrailingStarPrefix() {
    Authorizer prefix =
        clusterWide("{nonResourceURLs: ['/healthz*', '/logs/*', /version], verbs: [get]}");
    assertThat(prefix.allows(WEB, RequestAttributes.nonResource("get", "/healthz"))).isTrue();
    assertThat(prefix.allows(WEB, RequestAttributes.nonResource("get", "/healthzfoo"))).isTrue();
    assertThat(prefix.allows(WEB, RequestAttributes.nonResource("get", "/healthz/etcd"))).isTrue();
    assertThat(prefix.allows(WEB, RequestAttributes.nonResource("get", "/logs/kube-apiserver.log")))
        .isTrue();
    assertThat(prefix.allows(WEB, RequestAttributes.nonResource("get", "/logs")))
        .as("/logs/* needs the slash")
        .isFalse();
    assertThat(prefix.allows(WEB, RequestAttributes.nonResource("get", "/version"))).isTrue();
    assertThat(prefix.allows(WEB, RequestAttributes.nonResource("get", "/version/"))).isFalse();
    assertThat(prefix.allows(WEB, RequestAttributes.nonResource("head", "/healthz"))).isFalse();
    Authorizer all = clusterWide("{nonResourceURLs: ['*'], verbs: [get]}");
    assertThat(all.allows(WEB, RequestAttributes.nonResource("get", "/debug/pprof/profile")))
        .isTrue();
    assertThat(all.allows(WEB, get("", "pods", "", "shop", "")))
        .as("URL rules never match resources")
        .isFalse();
  }

  @Test
  void aClusterRoleBoundByARoleBindingOnlyGrantsInThatNamespace() {
    Authorizer a =
        authorizer(
            """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: ns-owner}
        rules:
        - {apiGroups: [''], resources: [pods, namespaces, nodes], verbs: [get, list, delete]}
        - {nonResourceURLs: [/metrics], verbs: [get]}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: owners, namespace: shop}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ns-owner}
        subjects: [{kind: ServiceAccount, name: web}]
        """);
    assertThat(a.allows(WEB, get("", "pods", "", "shop", "web-0"))).isTrue();
    assertThat(a.allows(WEB, get("", "pods", "", "other", "web-0"))).isFalse();
    assertThat(a.allows(WEB, RequestAttributes.resource("list", "", "pods", "", "", "")))
        .as("cluster-wide list")
        .isFalse();
    assertThat(
            a.allows(
                WEB, RequestAttributes.resource("delete", "", "namespaces", "", "shop", "shop")))
        .as("case 8: the Namespace object shop is in namespace shop")
        .isTrue();
    assertThat(a.allows(WEB, RequestAttributes.resource("list", "", "namespaces", "", "", "")))
        .isFalse();
    assertThat(a.allows(WEB, get("", "nodes", "", "", "node-1")))
        .as("nodes are cluster-scoped")
        .isFalse();
    assertThat(a.allows(WEB, get("", "nodes", "", "shop", "node-1")))
        .as("case 10: /namespaces/shop/nodes/node-1 is authorized in shop (then answers 404)")
        .isTrue();
    assertThat(a.allows(WEB, RequestAttributes.nonResource("get", "/metrics"))).isFalse();
    Decision d = a.authorize(WEB, get("", "pods", "", "shop", "web-0"));
    assertThat(d.reason())
        .isEqualTo(
            "RBAC: allowed by RoleBinding \"owners/shop\" of ClusterRole \"ns-owner\" to ServiceAccount "
                + "\"web/shop\"");
  }

  @Test
  void fourSubjectFormsMatchAServiceAccount() {
    for (String subject :
        List.of(
            "{kind: ServiceAccount, name: web}",
            "{kind: ServiceAccount, name: web, namespace: shop}",
            "{kind: User, apiGroup: rbac.authorization.k8s.io, name: 'system:serviceaccount:shop:web'}",
            "{kind: Group, apiGroup: rbac.authorization.k8s.io, name: 'system:serviceaccounts:shop'}")) {
      Authorizer a =
          authorizer(
              """
          apiVersion: rbac.authorization.k8s.io/v1
          kind: Role
          metadata: {name: web, namespace: shop}
          rules: [{apiGroups: [''], resources: [secrets], resourceNames: [db], verbs: [get]}]
          ---
          apiVersion: rbac.authorization.k8s.io/v1
          kind: RoleBinding
          metadata: {name: web, namespace: shop}
          roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: web}
          subjects: [%s]
          """
                  .formatted(subject));
      assertThat(a.allows(WEB, get("", "secrets", "", "shop", "db"))).as(subject).isTrue();
    }
    Authorizer crbWithoutNamespace =
        authorizer(
            """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: r}
        rules: [{apiGroups: [''], resources: [secrets], verbs: [get]}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: b}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: r}
        subjects: [{kind: ServiceAccount, name: web}, {kind: Group, name: 'system:serviceaccounts:other'}]
        """);
    assertThat(crbWithoutNamespace.allows(WEB, get("", "secrets", "", "shop", "db")))
        .as(
            "a ClusterRoleBinding's ServiceAccount needs a namespace; another namespace's SA group does not match")
        .isFalse();
  }

  @Test
  void groupsAreAUnionAndTheReasonNamesTheFirstMatchingBinding() {
    Authorizer a =
        authorizer(
            """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: scaler, namespace: shop}
        rules: [{apiGroups: [apps], resources: [deployments/scale], resourceNames: [web], verbs: [patch]}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: oncall, namespace: shop}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: scaler}
        subjects: [{kind: Group, name: oncall}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: ghost, namespace: shop}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: missing-role}
        subjects: [{kind: Group, name: dev}]
        """);
    RequestAttributes scale =
        RequestAttributes.resource("patch", "apps", "deployments", "scale", "shop", "web");
    UserInfo carol = Identities.of("carol", List.of("dev", "oncall"));
    assertThat(carol.groups()).containsExactly("dev", "oncall", "system:authenticated");
    assertThat(a.authorize(carol, scale).reason())
        .isEqualTo(
            "RBAC: allowed by RoleBinding \"oncall/shop\" of Role \"scaler\" to Group \"oncall\"");
    assertThat(a.allows(Identities.of("carol", List.of("dev")), scale))
        .as("a binding to a missing role grants nothing")
        .isFalse();
    assertThat(a.allows(OTHER_SA, scale)).isFalse();
  }

  @Test
  void aggregatedClusterRolesAreTheFixpointOfTheirSelectorsOverTheRealBootstrapRoles() {
    RbacObjects bootstrap =
        new RbacManifestReader()
            .read(new InputSource.FileSource(Path.of(TestData.BOOTSTRAP_CLUSTER_ROLES)))
            .objects();
    RbacObjects binding =
        manifests(
            """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: admins, namespace: shop}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: admin}
        subjects: [{kind: ServiceAccount, name: web}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: viewers, namespace: shop}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
        subjects: [{kind: ServiceAccount, name: other}]
        """);
    Authorizer a = new Authorizer(Policy.of(bootstrap.plus(binding)));
    // admin aggregates edit, which aggregates view, which aggregates system:aggregate-to-view:
    // transitive.
    assertThat(a.allows(WEB, get("", "pods", "log", "shop", "web-0"))).isTrue();
    assertThat(
            a.allows(
                WEB,
                RequestAttributes.resource(
                    "create", "rbac.authorization.k8s.io", "rolebindings", "", "shop", "")))
        .as("from system:aggregate-to-admin")
        .isTrue();
    assertThat(
            a.allows(
                WEB,
                RequestAttributes.resource("impersonate", "", "serviceaccounts", "", "shop", "x")))
        .as("from system:aggregate-to-edit")
        .isTrue();
    assertThat(a.allows(WEB, get("", "pods", "log", "other", "web-0"))).isFalse();
    assertThat(a.allows(OTHER_SA, get("", "pods", "", "shop", "web-0"))).isTrue();
    assertThat(a.allows(OTHER_SA, get("", "secrets", "", "shop", "db")))
        .as("view cannot read secrets")
        .isFalse();
    assertThat(a.policy().clusterRoleRules("admin"))
        .hasSizeGreaterThan(a.policy().clusterRoleRules("edit").size());
  }
}
