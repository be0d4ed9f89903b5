package dev.rbacsynth.authorize;

import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.event.UserInfo;
import dev.rbacsynth.kube.RbacObjects;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Proves generated RBAC with the authorizer: every wanted request is allowed (with the defaults),
 * and every generated rule is needed: removing it alone denies at least one wanted request.
 */
public final class PolicyVerifier {

  /** Requests the policy does not allow, and rules whose removal denies nothing. */
  public record Result(List<RequestAttributes> notAllowed, List<String> unneededRules) {
    public boolean ok() {
      return notAllowed.isEmpty() && unneededRules.isEmpty();
    }
  }

  private PolicyVerifier() {}

  /**
   * @param wanted each request with the user that made it (name and groups as in the log)
   */
  public static Result verify(
      RbacObjects generated, RbacObjects defaults, Map<RequestAttributes, UserInfo> wanted) {
    List<RequestAttributes> notAllowed = denied(generated.plus(defaults), wanted);
    List<String> unneeded = new ArrayList<>();
    for (Role role : generated.roles()) {
      for (int i = 0; i < role.getRules().size(); i++) {
        List<PolicyRule> rules = without(role.getRules(), i);
        Role reduced = new RoleBuilder(role).withRules(rules).build();
        RbacObjects candidate = replace(generated, role, reduced, null, null);
        if (denied(candidate.plus(defaults), wanted).size() <= notAllowed.size()) {
          unneeded.add(
              "Role "
                  + role.getMetadata().getNamespace()
                  + "/"
                  + role.getMetadata().getName()
                  + " rule "
                  + (i + 1));
        }
      }
    }
    for (ClusterRole role : generated.clusterRoles()) {
      for (int i = 0; i < role.getRules().size(); i++) {
        ClusterRole reduced =
            new ClusterRoleBuilder(role).withRules(without(role.getRules(), i)).build();
        RbacObjects candidate = replace(generated, null, null, role, reduced);
        if (denied(candidate.plus(defaults), wanted).size() <= notAllowed.size()) {
          unneeded.add("ClusterRole " + role.getMetadata().getName() + " rule " + (i + 1));
        }
      }
    }
    return new Result(notAllowed, unneeded);
  }

  private static List<RequestAttributes> denied(
      RbacObjects objects, Map<RequestAttributes, UserInfo> wanted) {
    Authorizer authorizer = new Authorizer(Policy.of(objects));
    List<RequestAttributes> out = new ArrayList<>();
    wanted.forEach(
        (request, user) -> {
          if (!authorizer.allows(user, request)) {
            out.add(request);
          }
        });
    return out;
  }

  private static List<PolicyRule> without(List<PolicyRule> rules, int index) {
    List<PolicyRule> copy = new ArrayList<>(rules);
    copy.remove(index);
    return copy;
  }

  private static RbacObjects replace(
      RbacObjects o, Role oldRole, Role newRole, ClusterRole oldCr, ClusterRole newCr) {
    List<Role> roles = new ArrayList<>(o.roles());
    List<ClusterRole> clusterRoles = new ArrayList<>(o.clusterRoles());
    if (oldRole != null) {
      roles.set(roles.indexOf(oldRole), newRole);
    }
    if (oldCr != null) {
      clusterRoles.set(clusterRoles.indexOf(oldCr), newCr);
    }
    return new RbacObjects(roles, clusterRoles, o.roleBindings(), o.clusterRoleBindings());
  }
}
