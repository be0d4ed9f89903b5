package dev.rbacsynth.authorize;

import dev.rbacsynth.kube.BuiltInResources;

/**
 * Grants that a binding can never use (semantics.md §5.4, case 10): a RoleBinding only grants for
 * requests in its namespace, so non-resource URLs and built-in cluster-scoped resources in the role
 * it binds (a ClusterRole, or a Role that lists them) grant nothing. {@code namespaces} is not
 * inert: namespace N itself is in namespace N; nor is {@code bind} on {@code clusterroles}.
 */
public final class Inertness {
  private Inertness() {}

  /** Why {@code grant} is inert through {@code binding}, or "" when it can grant something. */
  public static String why(BindingRef binding, Grant grant) {
    if (!binding.kind().equals("RoleBinding")) {
      return "";
    }
    if (grant.isNonResource()) {
      return "non-resource URLs are only granted by a ClusterRoleBinding; RoleBinding "
          + binding.name()
          + " in "
          + binding.namespace()
          + " grants nothing for "
          + grant.nonResourceURL();
    }
    if (!grant.apiGroup().equals("*")
        && BuiltInResources.clusterScopedForRbac(grant.apiGroup(), grant.baseResource())
        && !bindsInTheNamespace(grant)) {
      return grant.baseResource()
          + " is cluster-scoped; RoleBinding "
          + binding.name()
          + " only grants in namespace "
          + binding.namespace()
          + ", so this grants nothing";
    }
    return "";
  }

  /**
   * {@code bind} on a ClusterRole is checked in the namespace of the binding being written
   * (semantics.md §4.3), so a RoleBinding that grants it lets its subject bind that ClusterRole in
   * its namespace (case 28).
   */
  private static boolean bindsInTheNamespace(Grant grant) {
    return grant.resource().equals("clusterroles")
        && (grant.verb().equals("bind") || grant.verb().equals("*"));
  }
}
