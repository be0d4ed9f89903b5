package dev.rbacsynth.authorize;

import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.kube.RbacObjects;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Proves that generated RBAC is no wider than what was observed: each rule, in each namespace its
 * bindings give it, is expanded into the checks it allows (verb x group x resource x name, or verb
 * x URL), and every one must be an observed check. A rule without {@code resourceNames} allows any
 * name, so it needs an observed check without a name (a list, a create to a collection); a
 * ClusterRole bound cluster-wide needs checks at the cluster scope. Wildcards ({@code *} verbs,
 * groups, resources, {@code *}/SUB, URLs ending in {@code *}) and {@code resourceNames: [""]} are
 * never tight.
 *
 * <p>This holds for {@code --exact}; the expansions widen on purpose, and only the wildcard part of
 * the proof ({@link #wildcards}) applies to them.
 */
public final class Tightness {

  private Tightness() {}

  /** Every allowed check that was not observed, and every wildcard, as one line each. */
  public static List<String> wider(RbacObjects generated, Collection<RequestAttributes> observed) {
    Set<RequestAttributes> seen = new HashSet<>(observed);
    List<String> out = new ArrayList<>();
    forEachBoundRule(
        generated,
        (where, namespace, rule) -> {
          out.addAll(wildcards(where, rule));
          for (RequestAttributes allowed : allowedChecks(rule, namespace)) {
            if (!seen.contains(allowed)) {
              out.add(where + " allows " + describe(allowed) + ", which was not observed");
            }
          }
        });
    return out;
  }

  /** The wildcards of every generated rule, as one line each (for any expansion setting). */
  public static List<String> wildcards(RbacObjects generated) {
    List<String> out = new ArrayList<>();
    forEachBoundRule(generated, (where, namespace, rule) -> out.addAll(wildcards(where, rule)));
    return out.stream().distinct().toList();
  }

  private static List<String> wildcards(String where, PolicyRule rule) {
    List<String> out = new ArrayList<>();
    for (String verb : list(rule.getVerbs())) {
      if (verb.contains("*")) {
        out.add(where + " has verb " + verb);
      }
    }
    for (String group : list(rule.getApiGroups())) {
      if (group.contains("*")) {
        out.add(where + " has API group " + group);
      }
    }
    for (String resource : list(rule.getResources())) {
      if (resource.contains("*")) {
        out.add(where + " has resource " + resource);
      }
    }
    for (String url : list(rule.getNonResourceURLs())) {
      if (url.contains("*")) {
        out.add(where + " has URL " + url);
      }
    }
    if (list(rule.getResourceNames()).contains("")) {
      out.add(where + " has an empty resource name, which matches requests without a name");
    }
    return out;
  }

  /** The checks one rule allows in one namespace ("" = cluster scope); a missing name is "". */
  static List<RequestAttributes> allowedChecks(PolicyRule rule, String namespace) {
    List<RequestAttributes> out = new ArrayList<>();
    List<String> names = list(rule.getResourceNames());
    for (String verb : list(rule.getVerbs())) {
      for (String group : list(rule.getApiGroups())) {
        for (String combined : list(rule.getResources())) {
          int slash = combined.indexOf('/');
          String resource = slash < 0 ? combined : combined.substring(0, slash);
          String sub = slash < 0 ? "" : combined.substring(slash + 1);
          for (String name : names.isEmpty() ? List.of("") : names) {
            out.add(RequestAttributes.resource(verb, group, resource, sub, namespace, name));
          }
        }
      }
      if (namespace.isEmpty()) {
        for (String url : list(rule.getNonResourceURLs())) {
          out.add(RequestAttributes.nonResource(verb, url));
        }
      }
    }
    return out;
  }

  private interface BoundRuleVisitor {
    void visit(String where, String namespace, PolicyRule rule);
  }

  private static void forEachBoundRule(RbacObjects o, BoundRuleVisitor visitor) {
    for (ClusterRoleBinding b : o.clusterRoleBindings()) {
      ClusterRole role = clusterRole(o, b.getRoleRef().getName());
      if (role != null) {
        visitRules("ClusterRole " + name(role.getMetadata()), "", role.getRules(), visitor);
      }
    }
    for (RoleBinding b : o.roleBindings()) {
      String ns = b.getMetadata().getNamespace();
      if (b.getRoleRef().getKind().equals("ClusterRole")) {
        ClusterRole role = clusterRole(o, b.getRoleRef().getName());
        if (role != null) {
          visitRules(
              "ClusterRole " + name(role.getMetadata()) + " (in " + ns + ")",
              ns,
              role.getRules(),
              visitor);
        }
      } else {
        for (Role role : o.roles()) {
          if (Objects.equals(role.getMetadata().getNamespace(), ns)
              && role.getMetadata().getName().equals(b.getRoleRef().getName())) {
            visitRules("Role " + ns + "/" + name(role.getMetadata()), ns, role.getRules(), visitor);
          }
        }
      }
    }
  }

  private static void visitRules(
      String role, String namespace, List<PolicyRule> rules, BoundRuleVisitor visitor) {
    for (int i = 0; i < list(rules).size(); i++) {
      visitor.visit(role + " rule " + (i + 1), namespace, rules.get(i));
    }
  }

  private static ClusterRole clusterRole(RbacObjects o, String name) {
    return o.clusterRoles().stream()
        .filter(r -> r.getMetadata().getName().equals(name))
        .findFirst()
        .orElse(null);
  }

  private static String name(ObjectMeta meta) {
    return meta.getName();
  }

  private static String describe(RequestAttributes r) {
    if (r.resourceRequest() && r.name().isEmpty()) {
      return r.describe() + " with any name";
    }
    return r.describe();
  }

  private static <T> List<T> list(List<T> l) {
    return l == null ? List.of() : l;
  }
}
