package dev.rbacsynth.authorize;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;

/**
 * The authorizer's answer. When allowed, which binding, role and rule allowed it; {@link #reason()}
 * is worded like the apiserver's {@code authorization.k8s.io/reason}.
 */
public record Decision(
    boolean allowed,
    BindingRef binding,
    String subjectDescription,
    int ruleIndex,
    PolicyRule rule) {

  public static final Decision NO_OPINION = new Decision(false, null, "", -1, null);

  public String reason() {
    if (!allowed) {
      return "no RBAC rule allows it";
    }
    return "RBAC: allowed by " + binding.describe() + " to " + subjectDescription;
  }
}
