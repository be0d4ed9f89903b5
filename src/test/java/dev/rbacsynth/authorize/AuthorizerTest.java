package dev.rbacsynth.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Manifests;
import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.event.UserInfo;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which binding subjects apply to a user (semantics.md §5.2), and how a match is worded in the
 * reason. Subjects that validation would reject (a wrong apiGroup, an unknown kind) match nobody.
 */
class AuthorizerTest {

  private static final UserInfo WEB =
      UserInfo.of(
          "system:serviceaccount:shop:web",
          List.of("system:serviceaccounts", "system:serviceaccounts:shop", "system:authenticated"));
  private static final UserInfo ALICE =
      UserInfo.of("alice", List.of("dev", "system:authenticated"));

  private static Subject subject(String kind, String apiGroup, String name, String namespace) {
    return new SubjectBuilder()
        .withKind(kind)
        .withApiGroup(apiGroup.isEmpty() ? null : apiGroup)
        .withName(name)
        .withNamespace(namespace.isEmpty() ? null : namespace)
        .build();
  }

  @ParameterizedTest
  @CsvSource({
    "User, rbac.authorization.k8s.io, alice, '', '', true",
    "User, '', alice, '', '', true",
    "User, example.com, alice, '', '', false",
    "User, rbac.authorization.k8s.io, Alice, '', '', false",
    "Group, rbac.authorization.k8s.io, dev, '', '', true",
    "Group, '', dev, '', '', true",
    "Group, example.com, dev, '', '', false",
    "Group, rbac.authorization.k8s.io, ops, '', '', false",
    "Robot, rbac.authorization.k8s.io, alice, '', '', false",
  })
  void usersAndGroupsMatchByNameAndMembership(
      String kind, String group, String name, String ns, String bindingNs, boolean applies) {
    assertThat(Authorizer.appliesTo(subject(kind, group, name, ns), ALICE, bindingNs))
        .isEqualTo(applies);
  }

  @ParameterizedTest
  @CsvSource({
    "web, shop, '', true",
    "web, '', shop, true",
    "web, shop, other, true",
    "web, '', '', false",
    "web, other, shop, false",
    "other, shop, shop, false",
  })
  void aServiceAccountMatchesInItsNamespaceOrTheBindings(
      String name, String ns, String bindingNs, boolean applies) {
    assertThat(Authorizer.appliesTo(subject("ServiceAccount", "", name, ns), WEB, bindingNs))
        .isEqualTo(applies);
    assertThat(
            Authorizer.appliesTo(
                subject("ServiceAccount", "rbac.authorization.k8s.io", name, ns), WEB, bindingNs))
        .as("a ServiceAccount subject has no apiGroup")
        .isFalse();
  }

  @Test
  void theReasonNamesTheFirstMatchingSubjectLikeTheApiserver() {
    assertThat(
            Authorizer.firstMatchingSubject(
                List.of(
                    subject("Group", "rbac.authorization.k8s.io", "ops", ""),
                    subject("ServiceAccount", "", "web", ""),
                    subject("Group", "rbac.authorization.k8s.io", "system:authenticated", "")),
                WEB,
                "shop"))
        .isEqualTo("ServiceAccount \"web/shop\"");
    assertThat(
            Authorizer.firstMatchingSubject(
                List.of(subject("Group", "", "dev", "")), ALICE, "shop"))
        .isEqualTo("Group \"dev\"");
    assertThat(Authorizer.firstMatchingSubject(List.of(), ALICE, "shop")).isNull();
    assertThat(Authorizer.firstMatchingSubject(null, ALICE, "shop")).isNull();
    assertThat(Decision.NO_OPINION.reason()).isEqualTo("no RBAC rule allows it");
  }

  private static final Policy WALKED =
      Policy.of(
          Manifests.objects(
              """
              apiVersion: rbac.authorization.k8s.io/v1
              kind: ClusterRole
              metadata: {name: view}
              rules:
              - {apiGroups: [""], resources: [pods], verbs: [get]}
              - {apiGroups: [""], resources: [configmaps], verbs: [get]}
              ---
              apiVersion: rbac.authorization.k8s.io/v1
              kind: ClusterRoleBinding
              metadata: {name: gone}
              roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: missing}
              subjects: [{kind: Group, name: dev}]
              ---
              apiVersion: rbac.authorization.k8s.io/v1
              kind: ClusterRoleBinding
              metadata: {name: viewers}
              roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
              subjects: [{kind: User, name: alice}]
              ---
              apiVersion: rbac.authorization.k8s.io/v1
              kind: RoleBinding
              metadata: {name: gone-role, namespace: shop}
              roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: missing}
              subjects: [{kind: User, name: alice}]
              """));

  /** Everything the walk reports, in order: rules as "binding#index", errors as "!binding". */
  private static List<String> walk(Authorizer authorizer, String namespace, int stopAfter) {
    List<String> seen = new ArrayList<>();
    authorizer.visitRulesFor(
        ALICE,
        namespace,
        new Authorizer.RuleVisitor() {
          @Override
          public boolean visit(BindingRef binding, String subject, int index, PolicyRule rule) {
            seen.add(binding.name() + "#" + index);
            return seen.size() < stopAfter;
          }

          @Override
          public boolean resolutionError(BindingRef binding, String subject) {
            seen.add("!" + binding.name() + " (" + subject + ")");
            return seen.size() < stopAfter;
          }
        });
    return seen;
  }

  @Test
  void theWalkReportsRulesAndResolutionErrorsInUpstreamsOrder() {
    Authorizer authorizer = new Authorizer(WALKED);
    assertThat(walk(authorizer, "shop", 100))
        .containsExactly(
            "!gone (Group \"dev\")", "viewers#0", "viewers#1", "!gone-role (User \"alice\")");
    assertThat(walk(authorizer, "", 100))
        .as("no RoleBinding at cluster scope")
        .containsExactly("!gone (Group \"dev\")", "viewers#0", "viewers#1");
  }

  @Test
  void theVisitorCanStopTheWalk() {
    Authorizer authorizer = new Authorizer(WALKED);
    assertThat(walk(authorizer, "shop", 2)).containsExactly("!gone (Group \"dev\")", "viewers#0");
    assertThat(walk(authorizer, "shop", 1)).containsExactly("!gone (Group \"dev\")");
    assertThat(
            authorizer
                .authorize(ALICE, RequestAttributes.resource("get", "", "pods", "", "shop", "web"))
                .ruleIndex())
        .as("the first rule that allows decides")
        .isZero();
  }
}
