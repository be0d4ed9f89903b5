package dev.rbacsynth.authorize;

import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.event.UserInfo;
import dev.rbacsynth.kube.BindingSubjects;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.List;
import java.util.Objects;

/**
 * The RBAC authorizer, shaped like upstream's ({@code plugin/pkg/auth/authorizer/rbac/rbac.go} over
 * {@code VisitRulesFor} in {@code pkg/registry/rbac/validation/rule.go}): one walk over the
 * bindings that apply to a user, ClusterRoleBindings first and then the RoleBindings of the
 * request's namespace, handing each rule of the role they refer to to a visitor, which may stop the
 * walk. A binding whose role cannot be resolved grants nothing; the visitor hears of it as a
 * resolution error. Deciding a request is the visitor that stops at the first rule that allows it.
 * This is the only evaluator in rbac-synth: generation, verification, diff and can-i all use it.
 */
public final class Authorizer {

  private static final String RBAC_GROUP = "rbac.authorization.k8s.io";

  /**
   * Receives what {@link #visitRulesFor} finds: every (binding, rule) that applies to a user in a
   * namespace, and every applying binding whose role is missing. Returning false stops the walk.
   */
  @FunctionalInterface
  public interface RuleVisitor {
    /**
     * A rule of the role a binding refers to.
     *
     * @param subjectDescription the binding's subject that matched, worded like the apiserver
     * @param ruleIndex the rule's index in the role's effective rules (after aggregation)
     */
    boolean visit(BindingRef binding, String subjectDescription, int ruleIndex, PolicyRule rule);

    /** A binding that applies but refers to a role that does not exist: it grants nothing. */
    default boolean resolutionError(BindingRef binding, String subjectDescription) {
      return true;
    }
  }

  private final Policy policy;

  public Authorizer(Policy policy) {
    this.policy = policy;
  }

  public Policy policy() {
    return policy;
  }

  public Decision authorize(UserInfo user, RequestAttributes request) {
    Decision[] found = {Decision.NO_OPINION};
    visitRulesFor(
        user,
        request.namespace(),
        (binding, subject, index, rule) -> {
          if (RuleMatcher.allows(rule, request)) {
            found[0] = new Decision(true, binding, subject, index, rule);
            return false;
          }
          return true;
        });
    return found[0];
  }

  public boolean allows(UserInfo user, RequestAttributes request) {
    return authorize(user, request).allowed();
  }

  /**
   * Visits the rules that apply to {@code user} for a request in {@code namespace} ("" = cluster
   * scope), until the visitor returns false.
   */
  public void visitRulesFor(UserInfo user, String namespace, RuleVisitor visitor) {
    for (ClusterRoleBinding crb : policy.clusterRoleBindingsFor(user)) {
      String subject = firstMatchingSubject(crb.getSubjects(), user, "");
      RoleRef ref = crb.getRoleRef();
      if (subject == null || !acceptedRoleRef(ref)) {
        continue;
      }
      BindingRef binding =
          new BindingRef(
              "ClusterRoleBinding", "", crb.getMetadata().getName(), "ClusterRole", ref.getName());
      List<PolicyRule> rules =
          "ClusterRole".equals(ref.getKind()) ? policy.clusterRoleRules(ref.getName()) : null;
      if (!visitRules(rules, binding, subject, visitor)) {
        return;
      }
    }
    if (namespace.isEmpty()) {
      return;
    }
    for (RoleBinding rb : policy.roleBindingsFor(user, namespace)) {
      String subject = firstMatchingSubject(rb.getSubjects(), user, namespace);
      RoleRef ref = rb.getRoleRef();
      if (subject == null || !acceptedRoleRef(ref)) {
        continue;
      }
      List<PolicyRule> rules =
          switch (Objects.requireNonNullElse(ref.getKind(), "")) {
            case "Role" -> policy.roleRules(namespace, ref.getName());
            case "ClusterRole" -> policy.clusterRoleRules(ref.getName());
            default -> null;
          };
      BindingRef binding =
          new BindingRef(
              "RoleBinding", namespace, rb.getMetadata().getName(), ref.getKind(), ref.getName());
      if (!visitRules(rules, binding, subject, visitor)) {
        return;
      }
    }
  }

  /**
   * True when the apiserver would accept the binding's roleRef: its {@code apiGroup} is {@code
   * rbac.authorization.k8s.io}, or empty, which defaulting sets to it (kubernetes
   * pkg/apis/rbac/v1/defaults.go; validation rejects any other group). A binding the apiserver
   * rejects does not exist on a cluster, so it grants nothing here either.
   */
  public static boolean acceptedRoleRef(RoleRef ref) {
    if (ref == null) {
      return false;
    }
    String group = ref.getApiGroup();
    return group == null || group.isEmpty() || group.equals(RBAC_GROUP);
  }

  /** False when the visitor stopped the walk. */
  private static boolean visitRules(
      List<PolicyRule> rules, BindingRef binding, String subject, RuleVisitor visitor) {
    if (rules == null) {
      return visitor.resolutionError(binding, subject);
    }
    for (int i = 0; i < rules.size(); i++) {
      if (!visitor.visit(binding, subject, i, rules.get(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The first subject of a binding that applies to the user, worded like the apiserver, or null.
   */
  static String firstMatchingSubject(
      List<Subject> subjects, UserInfo user, String bindingNamespace) {
    if (subjects == null) {
      return null;
    }
    for (Subject s : subjects) {
      if (appliesTo(s, user, bindingNamespace)) {
        return switch (s.getKind()) {
          case "ServiceAccount" ->
              "ServiceAccount \""
                  + s.getName()
                  + "/"
                  + BindingSubjects.serviceAccountNamespace(s.getNamespace(), bindingNamespace)
                  + "\"";
          default -> s.getKind() + " \"" + s.getName() + "\"";
        };
      }
    }
    return null;
  }

  /**
   * Subject matching ({@code appliesToUser}): User by name, Group by membership, ServiceAccount by
   * username.
   */
  public static boolean appliesTo(Subject subject, UserInfo user, String bindingNamespace) {
    String kind = Objects.requireNonNullElse(subject.getKind(), "");
    String name = Objects.requireNonNullElse(subject.getName(), "");
    String apiGroup = Objects.requireNonNullElse(subject.getApiGroup(), "");
    switch (kind) {
      case "User":
        return (apiGroup.isEmpty() || apiGroup.equals(RBAC_GROUP)) && user.username().equals(name);
      case "Group":
        return (apiGroup.isEmpty() || apiGroup.equals(RBAC_GROUP)) && user.groups().contains(name);
      case "ServiceAccount":
        String ns =
            BindingSubjects.serviceAccountNamespace(subject.getNamespace(), bindingNamespace);
        return apiGroup.isEmpty()
            && !ns.isEmpty()
            && user.username().equals("system:serviceaccount:" + ns + ":" + name);
      default:
        return false;
    }
  }
}
