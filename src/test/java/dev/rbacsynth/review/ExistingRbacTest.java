package dev.rbacsynth.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Manifests;
import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.event.UserInfo;
import dev.rbacsynth.kube.Identities;
import dev.rbacsynth.kube.Subject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The RBAC that exists: manifests applied in order, the defaults where the manifests do not define
 * the same object, and which bindings a review looks at (the manifests', not the defaults').
 */
class ExistingRbacTest {

  private static final UserInfo ALICE = Identities.of("alice", List.of("dev"));

  /** A binding of {@code kind} in {@code ns} ("" for a ClusterRoleBinding) to {@code roleRef}. */
  private static String binding(
      String name, String ns, String roleKind, String role, String subject) {
    return """
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: %s
        metadata: {name: %s%s}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: %s, name: %s}
        subjects: [%s]
        """
        .formatted(
            ns.isEmpty() ? "ClusterRoleBinding" : "RoleBinding",
            name,
            ns.isEmpty() ? "" : ", namespace: " + ns,
            roleKind,
            role,
            subject);
  }

  /** A Role (in {@code ns}) or ClusterRole ({@code ns} "") with one rule on {@code resource}. */
  private static String role(String name, String ns, String resource) {
    return """
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: %s
        metadata: {name: %s%s}
        rules: [{apiGroups: [''], resources: [%s], verbs: [get]}]
        """
        .formatted(
            ns.isEmpty() ? "ClusterRole" : "Role",
            name,
            ns.isEmpty() ? "" : ", namespace: " + ns,
            resource);
  }

  private static final String ALICE_USER =
      "{kind: User, apiGroup: rbac.authorization.k8s.io, name: alice}";

  private static ExistingRbac existing(boolean withDefaults, String... yaml) {
    return ExistingRbac.of(Manifests.objects(String.join("", yaml)), withDefaults);
  }

  private static RequestAttributes get(String resource, String ns) {
    return RequestAttributes.resource("get", "", resource, "", ns, "x");
  }

  @Test
  void aLaterDefinitionReplacesAnEarlierOneWithAWarning() {
    ExistingRbac rbac =
        existing(
            false,
            role("r", "shop", "pods"),
            role("r", "shop", "secrets"),
            role("r", "other", "pods"),
            binding("b", "shop", "Role", "r", ALICE_USER));
    assertThat(rbac.authorizer().allows(ALICE, get("secrets", "shop"))).isTrue();
    assertThat(rbac.authorizer().allows(ALICE, get("pods", "shop"))).isFalse();
    assertThat(rbac.warnings())
        .containsExactly("defined more than once, the last definition is used: Role shop/r");
    assertThat(rbac.manifests().roles()).hasSize(2);
  }

  @Test
  void namespacedObjectsWithoutNamespaceAreIgnoredWithAWarning() {
    ExistingRbac rbac =
        existing(
            false,
            role("r", "shop", "pods"),
            """
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: loose}
            """,
            """
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: loose-b}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: loose}
            """);
    assertThat(rbac.warnings())
        .containsExactly(
            "2 namespaced object(s) without metadata.namespace are ignored (kubectl would put them"
                + " in its current namespace): Role loose, RoleBinding loose-b");
    assertThat(existing(false, role("r", "shop", "pods")).warnings()).isEmpty();
  }

  @Test
  void theDefaultsJoinOnlyWhereTheManifestsDefineNoObjectOfTheSameName() {
    RequestAttributes version = RequestAttributes.nonResource("get", "/version");
    assertThat(existing(true).authorizer().allows(ALICE, version)).isTrue();
    assertThat(existing(false).authorizer().allows(ALICE, version)).isFalse();
    ExistingRbac replaced =
        existing(
            true,
            """
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: 'system:public-info-viewer'}
            rules: [{nonResourceURLs: [/livez], verbs: [get]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: 'system:discovery'}
            rules: [{nonResourceURLs: [/livez], verbs: [get]}]
            """);
    assertThat(replaced.authorizer().allows(ALICE, version))
        .as("the manifests' system:discovery and system:public-info-viewer replace the defaults'")
        .isFalse();
    assertThat(replaced.authorizer().allows(ALICE, RequestAttributes.nonResource("get", "/livez")))
        .isTrue();
  }

  @Test
  void onlyTheManifestsBindingsAreReviewedNotTheDefaultsNorCopiesOfThem() {
    String copyOfDefault =
        binding("system:discovery", "", "ClusterRole", "view", "{kind: Group, name: dev}");
    String own = binding("readers", "", "ClusterRole", "view", "{kind: Group, name: dev}");
    String rb = binding("rb", "shop", "Role", "r", ALICE_USER);
    String view = role("view", "", "pods");
    String r = role("r", "shop", "configmaps");
    assertThat(existing(true, view, r, copyOfDefault, own, rb).rulesFor(ALICE))
        .extracting(a -> a.binding().describe())
        .containsExactly(
            "ClusterRoleBinding \"readers\" of ClusterRole \"view\"",
            "RoleBinding \"rb/shop\" of Role \"r\"");
    assertThat(existing(false, view, r, copyOfDefault, own, rb).rulesFor(ALICE))
        .as("without the defaults, a binding named like one is the manifests' own")
        .extracting(a -> a.binding().name())
        .containsExactly("readers", "system:discovery", "rb");
  }

  @Test
  void bindingsToMissingRolesThatReachTheSubjectAreReported() {
    ExistingRbac rbac =
        existing(
            false,
            role("present", "", "pods"),
            role("present-role", "shop", "pods"),
            binding("crb", "", "ClusterRole", "gone", ALICE_USER),
            binding("crb-ok", "", "ClusterRole", "present", ALICE_USER),
            binding("rb-role", "shop", "Role", "gone-role", "{kind: Group, name: dev}"),
            binding("rb-cr", "shop", "ClusterRole", "gone-cr", ALICE_USER),
            binding("rb-ok", "shop", "Role", "present-role", ALICE_USER),
            binding("rb-ok-cr", "shop", "ClusterRole", "present", ALICE_USER),
            binding("other", "shop", "Role", "gone", "{kind: User, name: bob}"),
            binding("other-crb", "", "ClusterRole", "gone", "{kind: User, name: bob}"));
    assertThat(rbac.reach(ALICE).unresolved())
        .containsExactly(
            "ClusterRoleBinding crb refers to ClusterRole gone, which is not in the given RBAC: it"
                + " grants nothing",
            "RoleBinding rb-role in shop refers to Role gone-role, which is not in the given RBAC:"
                + " it grants nothing",
            "RoleBinding rb-cr in shop refers to ClusterRole gone-cr, which is not in the given"
                + " RBAC: it grants nothing");
  }

  @Test
  void boundSubjectsAreEveryUserGroupAndServiceAccountNamed() {
    ExistingRbac rbac =
        existing(
            false,
            binding(
                "crb",
                "",
                "ClusterRole",
                "view",
                "{kind: User, name: alice}, {kind: User, name: 'system:serviceaccount:ci:bot'},"
                    + " {kind: Group, name: dev}, {kind: ServiceAccount, name: web, namespace: shop},"
                    + " {kind: ServiceAccount, name: nons}, {kind: User, name: ''}"),
            binding("rb", "team-a", "Role", "r", "{kind: ServiceAccount, name: deployer}"));
    assertThat(rbac.boundSubjects())
        .containsExactly(
            new Subject.Group("dev"),
            new Subject.ServiceAccount("ci", "bot"),
            new Subject.ServiceAccount("shop", "web"),
            new Subject.ServiceAccount("team-a", "deployer"),
            new Subject.User("alice"));
  }
}
