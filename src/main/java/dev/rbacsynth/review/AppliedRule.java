package dev.rbacsynth.review;

import dev.rbacsynth.authorize.BindingRef;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.Comparator;

/**
 * One rule as it reaches a subject: through which binding (and which of its subjects), and its
 * index in the role's effective rules (after aggregation for an aggregated ClusterRole).
 */
public record AppliedRule(
    BindingRef binding, String matchedSubject, int ruleIndex, PolicyRule rule) {

  /** ClusterRoleBindings first, then RoleBindings by namespace; then by name and rule index. */
  public static final Comparator<AppliedRule> ORDER =
      Comparator.comparing((AppliedRule r) -> r.binding().kind())
          .thenComparing(r -> r.binding().namespace())
          .thenComparing(r -> r.binding().name())
          .thenComparingInt(AppliedRule::ruleIndex);

  public boolean clusterWide() {
    return binding.kind().equals("ClusterRoleBinding");
  }

  /**
   * "" for a ClusterRoleBinding (every namespace and cluster scope), else the RoleBinding's
   * namespace.
   */
  public String namespace() {
    return binding.namespace();
  }

  /** Identity of the (binding, rule) pair, independent of the subject that matched. */
  public String key() {
    return binding.kind() + "/" + binding.namespace() + "/" + binding.name() + "#" + ruleIndex;
  }

  /**
   * {@code ClusterRoleBinding crb -> ClusterRole r rules[0]}, or {@code RoleBinding ns/rb -> ...}.
   */
  public String source() {
    return binding.kind()
        + " "
        + (binding.namespace().isEmpty() ? "" : binding.namespace() + "/")
        + binding.name()
        + " -> "
        + binding.roleKind()
        + " "
        + binding.roleName()
        + " rules["
        + ruleIndex
        + "]";
  }
}
