package dev.rbacsynth.write;

import dev.rbacsynth.compact.GeneratedPolicy;
import dev.rbacsynth.kube.RbacObjects;
import dev.rbacsynth.kube.Subject;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Wraps generated rules in Roles (one per namespace), a ClusterRole, and bindings of each to the
 * subject.
 */
public final class ManifestBuilder {
  private static final String RBAC_GROUP = "rbac.authorization.k8s.io";

  private ManifestBuilder() {}

  /*
   * The objects are made with constructors and setters, not Fabric8's builders: equal objects (the
   * builders copy a default instance and every list given), without the builder classes and their
   * interpreted code on every small generate. The rule lists are copied, as the builders copied
   * them, so that the roles do not share a list with the policy.
   */

  public static RbacObjects build(GeneratedPolicy policy, Subject subject, Naming.Resolved naming) {
    List<Role> roles = new ArrayList<>();
    List<RoleBinding> roleBindings = new ArrayList<>();
    for (Map.Entry<String, List<PolicyRule>> e : policy.namespaceRules().entrySet()) {
      String namespace = e.getKey();
      Role role = new Role();
      role.setMetadata(meta(naming, namespace));
      role.setRules(new ArrayList<>(e.getValue()));
      roles.add(role);
      RoleBinding binding = new RoleBinding();
      binding.setMetadata(meta(naming, namespace));
      binding.setRoleRef(new RoleRef(RBAC_GROUP, "Role", naming.name()));
      binding.setSubjects(subjects(subject));
      roleBindings.add(binding);
    }
    List<ClusterRole> clusterRoles = new ArrayList<>();
    List<ClusterRoleBinding> clusterRoleBindings = new ArrayList<>();
    if (!policy.clusterRules().isEmpty()) {
      ClusterRole role = new ClusterRole();
      role.setMetadata(meta(naming, null));
      role.setRules(new ArrayList<>(policy.clusterRules()));
      clusterRoles.add(role);
      ClusterRoleBinding binding = new ClusterRoleBinding();
      binding.setMetadata(meta(naming, null));
      binding.setRoleRef(new RoleRef(RBAC_GROUP, "ClusterRole", naming.name()));
      binding.setSubjects(subjects(subject));
      clusterRoleBindings.add(binding);
    }
    return new RbacObjects(roles, clusterRoles, roleBindings, clusterRoleBindings);
  }

  private static ObjectMeta meta(Naming.Resolved naming, String namespace) {
    ObjectMeta meta = new ObjectMeta();
    meta.setName(naming.name());
    meta.setNamespace(namespace);
    meta.setLabels(naming.labels().isEmpty() ? null : new LinkedHashMap<>(naming.labels()));
    meta.setAnnotations(
        naming.annotations().isEmpty() ? null : new LinkedHashMap<>(naming.annotations()));
    return meta;
  }

  /** The binding's one subject (a ServiceAccount has no apiGroup, as upstream). */
  private static List<io.fabric8.kubernetes.api.model.rbac.Subject> subjects(Subject subject) {
    io.fabric8.kubernetes.api.model.rbac.Subject s =
        new io.fabric8.kubernetes.api.model.rbac.Subject();
    if (subject instanceof Subject.ServiceAccount sa) {
      s.setKind("ServiceAccount");
      s.setName(sa.name());
      s.setNamespace(sa.namespace());
    } else {
      s.setKind(subject.kind());
      s.setApiGroup(RBAC_GROUP);
      s.setName(subject.auditName());
    }
    List<io.fabric8.kubernetes.api.model.rbac.Subject> subjects = new ArrayList<>(1);
    subjects.add(s);
    return subjects;
  }
}
