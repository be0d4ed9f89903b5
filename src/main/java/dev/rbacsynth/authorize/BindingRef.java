package dev.rbacsynth.authorize;

/**
 * A binding and the role it refers to, for reasons and reports. {@code namespace} is "" for a
 * ClusterRoleBinding.
 */
public record BindingRef(
    String kind, String namespace, String name, String roleKind, String roleName) {

  /** {@code RoleBinding "name/ns" of Role "r"}, as the apiserver words it. */
  public String describe() {
    String id = namespace.isEmpty() ? name : name + "/" + namespace;
    return kind + " \"" + id + "\" of " + roleKind + " \"" + roleName + "\"";
  }
}
