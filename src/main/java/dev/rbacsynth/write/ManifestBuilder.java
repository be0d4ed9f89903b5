package dev.rbacsynth.write;

import dev.rbacsynth.compact.GeneratedPolicy;
import dev.rbacsynth.kube.RbacObjects;
import dev.rbacsynth.kube.Subject;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Wraps generated rules in Roles (one per namespace), a ClusterRole, and bindings of each to the
 * subject.
 */
public final class ManifestBuilder {
  private static final String RBAC_GROUP = "rbac.authorization.k8s.io";

  private ManifestBuilder() {}

  public static RbacObjects build(GeneratedPolicy policy, Subject subject, Naming.Resolved naming) {
    List<Role> roles = new ArrayList<>();
    List<RoleBinding> roleBindings = new ArrayList<>();
    for (Map.Entry<String, List<PolicyRule>> e : policy.namespaceRules().entrySet()) {
      String namespace = e.getKey();
      roles.add(
          new RoleBuilder().withMetadata(meta(naming, namespace)).withRules(e.getValue()).build());
      roleBindings.add(
          new RoleBindingBuilder()
              .withMetadata(meta(naming, namespace))
              .withNewRoleRef(RBAC_GROUP, "Role", naming.name())
              .withSubjects(subjectFor(subject).build())
              .build());
    }
    List<ClusterRole> clusterRoles = new ArrayList<>();
    List<ClusterRoleBinding> clusterRoleBindings = new ArrayList<>();
    if (!policy.clusterRules().isEmpty()) {
      clusterRoles.add(
          new ClusterRoleBuilder()
              .withMetadata(meta(naming, null))
              .withRules(policy.clusterRules())
              .build());
      clusterRoleBindings.add(
          new ClusterRoleBindingBuilder()
              .withMetadata(meta(naming, null))
              .withNewRoleRef(RBAC_GROUP, "ClusterRole", naming.name())
              .withSubjects(subjectFor(subject).build())
              .build());
    }
    return new RbacObjects(roles, clusterRoles, roleBindings, clusterRoleBindings);
  }

  private static ObjectMeta meta(Naming.Resolved naming, String namespace) {
    return new ObjectMetaBuilder()
        .withName(naming.name())
        .withNamespace(namespace)
        .withLabels(naming.labels().isEmpty() ? null : naming.labels())
        .withAnnotations(naming.annotations().isEmpty() ? null : naming.annotations())
        .build();
  }

  /** The binding subject for {@code subject} (a ServiceAccount has no apiGroup, as upstream). */
  static SubjectBuilder subjectFor(Subject subject) {
    if (subject instanceof Subject.ServiceAccount sa) {
      return new SubjectBuilder()
          .withKind("ServiceAccount")
          .withName(sa.name())
          .withNamespace(sa.namespace());
    }
    return new SubjectBuilder()
        .withKind(subject.kind())
        .withApiGroup(RBAC_GROUP)
        .withName(subject.auditName());
  }
}
