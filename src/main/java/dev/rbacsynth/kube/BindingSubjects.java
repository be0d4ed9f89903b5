package dev.rbacsynth.kube;

import io.fabric8.kubernetes.api.model.rbac.Subject;

/** Facts about the subjects of a RoleBinding or ClusterRoleBinding. */
public final class BindingSubjects {
  private BindingSubjects() {}

  /**
   * The namespace of a ServiceAccount subject: its own, or the binding's when it names none, so a
   * RoleBinding can name a service account of its namespace without a namespace. "" when neither
   * has one (a ClusterRoleBinding's ServiceAccount subject without a namespace matches no one).
   * Upstream: {@code appliesToUser} in {@code pkg/registry/rbac/validation/rule.go}.
   */
  public static String serviceAccountNamespace(Subject subject, String bindingNamespace) {
    String own = subject.getNamespace();
    return own == null || own.isEmpty() ? bindingNamespace : own;
  }
}
