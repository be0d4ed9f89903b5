package dev.rbacsynth.kube;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.ArrayList;
import java.util.List;

/** A set of RBAC objects as read from manifests, the built-in defaults, or generated. */
public record RbacObjects(
    List<Role> roles,
    List<ClusterRole> clusterRoles,
    List<RoleBinding> roleBindings,
    List<ClusterRoleBinding> clusterRoleBindings) {

  public static final RbacObjects EMPTY =
      new RbacObjects(List.of(), List.of(), List.of(), List.of());

  public RbacObjects {
    roles = List.copyOf(roles);
    clusterRoles = List.copyOf(clusterRoles);
    roleBindings = List.copyOf(roleBindings);
    clusterRoleBindings = List.copyOf(clusterRoleBindings);
  }

  public RbacObjects plus(RbacObjects other) {
    return new RbacObjects(
        concat(roles, other.roles),
        concat(clusterRoles, other.clusterRoles),
        concat(roleBindings, other.roleBindings),
        concat(clusterRoleBindings, other.clusterRoleBindings));
  }

  public int size() {
    return roles.size() + clusterRoles.size() + roleBindings.size() + clusterRoleBindings.size();
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
