package dev.rbacsynth.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.event.UserInfo;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which binding subjects apply to a user (rbac-semantics 3.3), and how a match is worded in the
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
}
