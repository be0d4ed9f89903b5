package dev.rbacsynth.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Manifests;
import dev.rbacsynth.Observed;
import dev.rbacsynth.attributes.Outcome;
import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.authorize.Grant;
import dev.rbacsynth.kube.Identities;
import dev.rbacsynth.kube.Subject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Granted but never used, by the {@code Covers} decomposition (semantics.md §5.8): which atomic
 * grants of a rule no request used, which whole verbs, resources, names or URLs went unused, and
 * which grants the binding cannot give at all.
 */
class UnusedTest {

  private static final Subject ALICE = new Subject.User("alice");

  /**
   * The one Unused finding for a rule (flow YAML) bound to alice by a RoleBinding in shop (or a
   * ClusterRoleBinding when {@code ns} is ""), after the given requests; null when fully used.
   */
  private static Unused unused(String ns, String rule, RequestAttributes... requests) {
    String kind = ns.isEmpty() ? "ClusterRoleBinding" : "RoleBinding";
    ExistingRbac rbac =
        ExistingRbac.of(
            Manifests.objects(
                """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: r}
                rules: [%s]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: %s
                metadata: {name: b%s}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: r}
                subjects: [{kind: User, apiGroup: rbac.authorization.k8s.io, name: alice}]
                """
                    .formatted(rule, kind, ns.isEmpty() ? "" : ", namespace: " + ns)),
            false);
    var observed = Observed.usage(Outcome.ALLOWED, List.of("system:authenticated"), requests);
    List<AppliedRule> applied = rbac.rulesFor(Identities.ofSubject(ALICE, List.of()));
    List<Unused> found = Unused.find(rbac.authorizer(), applied, ALICE, observed.requests());
    assertThat(found).hasSizeLessThanOrEqualTo(1);
    return found.isEmpty() ? null : found.get(0);
  }

  private static RequestAttributes get(String resource, String name) {
    return RequestAttributes.resource("get", "", resource, "", "shop", name);
  }

  private static List<String> described(List<Grant> grants) {
    return grants.stream().map(Grant::describe).toList();
  }

  @Test
  void wholeVerbsAndResourcesThatWentUnusedAreNamed() {
    Unused u =
        unused(
            "shop",
            "{apiGroups: [''], resources: [pods, secrets], verbs: [get, list]}",
            get("pods", "x"));
    assertThat(u.status()).isEqualTo(Unused.Status.PARTLY_UNUSED);
    assertThat(u.verbs()).containsExactly("list");
    assertThat(u.resources()).containsExactly("secrets");
    assertThat(u.apiGroups()).isEmpty();
    assertThat(described(u.unusedGrants()))
        .containsExactly("get secrets", "list pods", "list secrets");
    assertThat(u.otherUnused()).as("all explained by list and secrets").isEmpty();
    assertThat(u.nonResourceURLs()).isEmpty();
    assertThat(u.grants()).isEqualTo(4);
  }

  @Test
  void unusedGrantsNoWholeValueExplainsAreListedApart() {
    Unused u =
        unused(
            "shop",
            "{apiGroups: [''], resources: [pods, secrets], verbs: [get, list]}",
            get("pods", "x"),
            RequestAttributes.resource("list", "", "secrets", "", "shop", ""));
    assertThat(u.verbs()).isEmpty();
    assertThat(u.resources()).isEmpty();
    assertThat(described(u.otherUnused())).containsExactly("get secrets", "list pods");
  }

  @Test
  void unusedNamesGroupsAndUrls() {
    Unused names =
        unused(
            "shop",
            "{apiGroups: ['', apps], resources: [configmaps], resourceNames: [a, b], verbs: [get]}",
            get("configmaps", "a"));
    assertThat(names.resourceNames()).containsExactly("b");
    assertThat(names.apiGroups()).containsExactly("apps");
    assertThat(described(names.otherUnused())).isEmpty();
    Unused urls =
        unused(
            "",
            "{nonResourceURLs: [/metrics, /healthz/*], verbs: [get]}",
            RequestAttributes.nonResource("get", "/healthz/etcd"));
    assertThat(urls.nonResourceURLs()).containsExactly("/metrics");
    assertThat(urls.resources()).isEmpty();
    assertThat(urls.status()).isEqualTo(Unused.Status.PARTLY_UNUSED);
    Unused idle = unused("", "{nonResourceURLs: [/metrics], verbs: [get]}");
    assertThat(idle.nonResourceURLs()).containsExactly("/metrics");
    assertThat(idle.apiGroups()).isEmpty();
    assertThat(idle.resources()).isEmpty();
    Unused urlVerbs =
        unused(
            "",
            "{nonResourceURLs: [/metrics, /healthz], verbs: [get, head]}",
            RequestAttributes.nonResource("get", "/metrics"));
    assertThat(urlVerbs.verbs()).containsExactly("head");
    assertThat(urlVerbs.nonResourceURLs()).containsExactly("/healthz");
    assertThat(urlVerbs.otherUnused()).as("explained by head and /healthz").isEmpty();
  }

  @Test
  void aRuleNothingUsedIsUnusedAndAFullyUsedOneIsNoFinding() {
    String rule = "{apiGroups: [''], resources: [pods], verbs: [get]}";
    Unused idle = unused("shop", rule);
    assertThat(idle.status()).isEqualTo(Unused.Status.UNUSED);
    assertThat(idle.resources()).containsExactly("pods");
    assertThat(idle.nonResourceURLs()).as("a resource rule has no URLs").isEmpty();
    assertThat(idle.resourceNames()).as("an unnamed rule has no names").isEmpty();
    assertThat(unused("shop", rule, get("pods", "x"))).isNull();
    assertThat(unused("shop", rule, RequestAttributes.resource("get", "", "pods", "", "dev", "x")))
        .as("a request in another namespace does not use a RoleBinding in shop")
        .extracting(Unused::status)
        .isEqualTo(Unused.Status.UNUSED);
  }

  @Test
  void grantsTheBindingCannotGiveAreInertNotUnused() {
    Unused partly =
        unused(
            "shop", "{apiGroups: [''], resources: [pods, nodes], verbs: [get]}", get("pods", "x"));
    assertThat(partly.status()).isEqualTo(Unused.Status.PARTLY_INERT);
    assertThat(partly.unusedGrants()).isEmpty();
    assertThat(partly.inert()).extracting(i -> i.grant().describe()).containsExactly("get nodes");
    Unused all = unused("shop", "{nonResourceURLs: [/metrics], verbs: [get]}");
    assertThat(all.status()).isEqualTo(Unused.Status.INERT);
    assertThat(all.inert()).hasSize(1);
  }

  @Test
  void aStarVerbUsedOnlyInPartIsListedWithWhatItNarrowsTo() {
    Unused secrets =
        unused(
            "shop",
            "{apiGroups: [''], resources: [secrets], verbs: ['*']}",
            get("secrets", "tls"),
            RequestAttributes.resource("list", "", "secrets", "", "shop", ""));
    assertThat(secrets)
        .as("every atomic grant was used, but '*' allows far more than get and list")
        .isNotNull();
    assertThat(secrets.status()).isEqualTo(Unused.Status.PARTLY_UNUSED);
    assertThat(secrets.unusedGrants()).isEmpty();
    assertThat(secrets.narrowed())
        .containsExactly(new Unused.Narrowing("verbs", "*", List.of("get", "list")));
  }

  @Test
  void starResourcesGroupsAndScaleRulesNarrowToTheValuesUsed() {
    Unused all =
        unused(
            "",
            "{apiGroups: ['*'], resources: ['*'], verbs: [get]}",
            get("pods", "x"),
            RequestAttributes.resource("get", "apps", "deployments", "scale", "shop", "web"));
    assertThat(all.narrowed())
        .containsExactly(
            new Unused.Narrowing("apiGroups", "*", List.of("", "apps")),
            new Unused.Narrowing("resources", "*", List.of("deployments/scale", "pods")));
    Unused scale =
        unused(
            "shop",
            "{apiGroups: [apps], resources: ['*/scale', deployments], verbs: [get, update]}",
            RequestAttributes.resource("update", "apps", "statefulsets", "scale", "shop", "db"),
            RequestAttributes.resource("get", "apps", "deployments", "", "shop", "web"));
    assertThat(scale.narrowed())
        .containsExactly(
            new Unused.Narrowing("resources", "*/scale", List.of("statefulsets/scale")));
    assertThat(described(scale.unusedGrants()))
        .as("the unused concrete grants are listed as before")
        .containsExactly("get *.apps/scale", "update deployments.apps");
  }

  @Test
  void anUnusedWildcardIsUnusedAndNothingToNarrow() {
    Unused idle = unused("", "{apiGroups: ['*'], resources: ['*'], verbs: ['*']}");
    assertThat(idle.status()).isEqualTo(Unused.Status.UNUSED);
    assertThat(idle.narrowed()).isEmpty();
    Unused urls =
        unused(
            "",
            "{nonResourceURLs: ['/healthz/*'], verbs: ['*']}",
            RequestAttributes.nonResource("get", "/healthz/etcd"));
    assertThat(urls.narrowed())
        .containsExactly(
            new Unused.Narrowing("verbs", "*", List.of("get")),
            new Unused.Narrowing("nonResourceURLs", "/healthz/*", List.of("/healthz/etcd")));
  }
}
