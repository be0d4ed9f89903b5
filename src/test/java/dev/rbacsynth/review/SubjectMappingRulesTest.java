package dev.rbacsynth.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rbacsynth.kube.RbacObjects;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The FROM=TO forms of --map-subject, their refusals, and how each binding subject is renamed. */
class SubjectMappingRulesTest {

  @Test
  void valuesThatAreNotOneKindOfFromEqualsToAreRefused() {
    for (String bad :
        List.of(
            "no-equals-sign",
            "=cert-manager:x",
            "cert-manager:x=",
            "user:=user:bob",
            "group:=group:dev",
            "user:alice=group:dev",
            "cert-manager=cert-manager:x",
            "a:b:c=a:b",
            "ns:=ns:x")) {
      assertThatThrownBy(() -> SubjectMapping.parse(List.of(bad)))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("--map-subject");
    }
    assertThatThrownBy(() -> SubjectMapping.parse(List.of("ns:a*=ns:*b*")))
        .hasMessageContaining("TO has more * than FROM");
  }

  @Test
  void serviceAccountsUsersAndGroupsAreRenamedByTheFirstMatchingRule() {
    SubjectMapping mapping =
        SubjectMapping.parse(
            List.of(
                "system:serviceaccount:cert-manager:cert-manager*=cert-manager:my-cert-manager*",
                "cert-manager:*=other:*",
                "user:alice=user:alice@example.com",
                "group:dev-*=group:developers-*"));
    assertThat(mapping.isEmpty()).isFalse();
    RoleBinding inNamespace =
        new RoleBindingBuilder()
            .withNewMetadata()
            .withName("rb")
            .withNamespace("cert-manager")
            .endMetadata()
            .withSubjects(
                // no namespace: the binding's, as the apiserver reads it
                sa(null, "cert-manager-cainjector"),
                sa("cert-manager", "webhook"),
                subject("User", "alice"),
                subject("Group", "dev-team"),
                subject("Group", "ops"),
                subject("Robot", "r2"))
            .build();
    ClusterRoleBinding cluster =
        new ClusterRoleBindingBuilder()
            .withNewMetadata()
            .withName("crb")
            .endMetadata()
            .withSubjects(sa("cert-manager", "cert-manager"), subject("User", "bob"))
            .build();
    ClusterRoleBinding noSubjects =
        new ClusterRoleBindingBuilder().withNewMetadata().withName("empty").endMetadata().build();
    RoleBinding noMetadata = new RoleBindingBuilder().withSubjects(sa(null, "x")).build();

    RbacObjects objects =
        new RbacObjects(
            List.of(), List.of(), List.of(inNamespace, noMetadata), List.of(cluster, noSubjects));
    assertThat(mapping.apply(objects)).isSameAs(objects);

    List<Subject> s = inNamespace.getSubjects();
    assertThat(s.get(0).getNamespace()).isEqualTo("cert-manager");
    assertThat(s.get(0).getName()).isEqualTo("my-cert-manager-cainjector");
    assertThat(s.get(1).getNamespace()).isEqualTo("other");
    assertThat(s.get(1).getName()).isEqualTo("webhook");
    assertThat(s.get(2).getName()).isEqualTo("alice@example.com");
    assertThat(s.get(3).getName()).isEqualTo("developers-team");
    assertThat(s.get(4).getName()).as("no rule matches").isEqualTo("ops");
    assertThat(s.get(5).getName()).as("an unknown kind is left alone").isEqualTo("r2");
    assertThat(cluster.getSubjects().get(0).getName()).isEqualTo("my-cert-manager");
    assertThat(cluster.getSubjects().get(1).getName()).isEqualTo("bob");
    assertThat(noMetadata.getSubjects().get(0).getName())
        .as("a namespace-less subject of a binding without metadata matches no NS:NAME rule")
        .isEqualTo("x");

    assertThat(mapping.summary())
        .containsExactly(
            "--map-subject system:serviceaccount:cert-manager:cert-manager*="
                + "cert-manager:my-cert-manager* renamed 2 binding subject(s)",
            "--map-subject cert-manager:*=other:* renamed 1 binding subject(s)",
            "--map-subject user:alice=user:alice@example.com renamed 1 binding subject(s)",
            "--map-subject group:dev-*=group:developers-* renamed 1 binding subject(s)");
  }

  @Test
  void aGlobDoesNotCrossTheColonAndAnUnusedRuleSaysSo() {
    SubjectMapping mapping = SubjectMapping.parse(List.of("*:web=shop:web"));
    ClusterRoleBinding b =
        new ClusterRoleBindingBuilder()
            .withNewMetadata()
            .withName("crb")
            .endMetadata()
            .withSubjects(sa("a:b", "web"))
            .build();
    mapping.apply(new RbacObjects(List.of(), List.of(), List.of(), List.of(b)));
    assertThat(b.getSubjects().get(0).getNamespace()).isEqualTo("a:b");
    assertThat(mapping.summary())
        .containsExactly("--map-subject *:web=shop:web matched no binding subject");
    RbacObjects none = RbacObjects.EMPTY;
    assertThat(SubjectMapping.NONE.apply(none)).isSameAs(none);
    assertThat(SubjectMapping.NONE.isEmpty()).isTrue();
  }

  private static Subject sa(String namespace, String name) {
    return new SubjectBuilder()
        .withKind("ServiceAccount")
        .withNamespace(namespace)
        .withName(name)
        .build();
  }

  private static Subject subject(String kind, String name) {
    return new SubjectBuilder()
        .withKind(kind)
        .withApiGroup("rbac.authorization.k8s.io")
        .withName(name)
        .build();
  }
}
