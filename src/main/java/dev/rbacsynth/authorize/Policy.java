package dev.rbacsynth.authorize;

import dev.rbacsynth.event.UserInfo;
import dev.rbacsynth.kube.RbacObjects;
import io.fabric8.kubernetes.api.model.rbac.AggregationRule;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * RBAC objects indexed for evaluation. The rules of an aggregated ClusterRole are the fixpoint of
 * its selectors over all ClusterRoles in the policy (its written rules are ignored, as the
 * controller replaces them).
 */
public final class Policy {

  private final RbacObjects objects;
  private final Map<String, List<PolicyRule>> clusterRoleRules;
  private final Map<String, List<PolicyRule>> roleRules;
  private final Map<String, List<RoleBinding>> roleBindingsByNamespace;
  private final SubjectIndex clusterRoleBindingIndex;
  private final Map<String, SubjectIndex> roleBindingIndex = new HashMap<>();
  private final Map<String, List<String>> namespacesByUser = new HashMap<>();
  private final Map<String, List<String>> namespacesByGroup = new HashMap<>();

  private Policy(RbacObjects objects) {
    this.objects = objects;
    this.roleRules = new HashMap<>();
    for (Role role : objects.roles()) {
      roleRules.put(
          key(role.getMetadata().getNamespace(), role.getMetadata().getName()),
          rules(role.getRules()));
    }
    this.clusterRoleRules = aggregate(objects.clusterRoles());
    this.roleBindingsByNamespace = new HashMap<>();
    for (RoleBinding rb : objects.roleBindings()) {
      roleBindingsByNamespace
          .computeIfAbsent(
              Objects.requireNonNullElse(rb.getMetadata().getNamespace(), ""),
              ns -> new ArrayList<>())
          .add(rb);
    }
    this.clusterRoleBindingIndex =
        new SubjectIndex(objects.clusterRoleBindings(), ClusterRoleBinding::getSubjects, "");
    roleBindingsByNamespace.forEach(
        (ns, list) -> {
          SubjectIndex index = new SubjectIndex(list, RoleBinding::getSubjects, ns);
          roleBindingIndex.put(ns, index);
          index
              .users()
              .forEach(u -> namespacesByUser.computeIfAbsent(u, k -> new ArrayList<>()).add(ns));
          index
              .groups()
              .forEach(g -> namespacesByGroup.computeIfAbsent(g, k -> new ArrayList<>()).add(ns));
        });
  }

  public static Policy of(RbacObjects objects) {
    return new Policy(objects);
  }

  public RbacObjects objects() {
    return objects;
  }

  public List<ClusterRoleBinding> clusterRoleBindings() {
    return objects.clusterRoleBindings();
  }

  public List<RoleBinding> roleBindingsIn(String namespace) {
    return roleBindingsByNamespace.getOrDefault(namespace, List.of());
  }

  /**
   * The ClusterRoleBindings that may apply to the user, in order: those naming the user, its
   * service account name or one of its groups ({@link SubjectIndex}).
   */
  List<ClusterRoleBinding> clusterRoleBindingsFor(UserInfo user) {
    return pick(objects.clusterRoleBindings(), clusterRoleBindingIndex.candidates(user));
  }

  /** The RoleBindings of a namespace that may apply to the user, in order. */
  List<RoleBinding> roleBindingsFor(UserInfo user, String namespace) {
    SubjectIndex index = roleBindingIndex.get(namespace);
    return index == null ? List.of() : pick(roleBindingsIn(namespace), index.candidates(user));
  }

  /**
   * The namespaces with a RoleBinding that may apply to the user, sorted: what a walk over every
   * namespace would find, at the cost of the user's own bindings.
   */
  public Set<String> roleBindingNamespacesFor(UserInfo user) {
    Set<String> out = new TreeSet<>(namespacesByUser.getOrDefault(user.username(), List.of()));
    for (String g : user.groups()) {
      out.addAll(namespacesByGroup.getOrDefault(g, List.of()));
    }
    return out;
  }

  private static <T> List<T> pick(List<T> all, int[] positions) {
    if (positions.length == all.size()) {
      return all;
    }
    List<T> out = new ArrayList<>(positions.length);
    for (int p : positions) {
      out.add(all.get(p));
    }
    return out;
  }

  /**
   * Effective rules of a ClusterRole (aggregated where it has an aggregationRule), or null when it
   * is missing.
   */
  public List<PolicyRule> clusterRoleRules(String name) {
    return clusterRoleRules.get(name);
  }

  /** Rules of a Role, or null when it is missing. */
  public List<PolicyRule> roleRules(String namespace, String name) {
    return roleRules.get(key(namespace, name));
  }

  private static String key(String namespace, String name) {
    return Objects.requireNonNullElse(namespace, "") + "/" + name;
  }

  private static List<PolicyRule> rules(List<PolicyRule> rules) {
    return rules == null ? List.of() : rules;
  }

  private static Map<String, List<PolicyRule>> aggregate(List<ClusterRole> clusterRoles) {
    Map<String, ClusterRole> byName = new TreeMap<>();
    for (ClusterRole role : clusterRoles) {
      byName.put(role.getMetadata().getName(), role);
    }
    Map<String, List<PolicyRule>> effective = new HashMap<>();
    List<ClusterRole> aggregated = new ArrayList<>();
    for (ClusterRole role : byName.values()) {
      effective.put(role.getMetadata().getName(), rules(role.getRules()));
      AggregationRule rule = role.getAggregationRule();
      if (rule != null
          && rule.getClusterRoleSelectors() != null
          && !rule.getClusterRoleSelectors().isEmpty()) {
        aggregated.add(role);
        effective.put(role.getMetadata().getName(), List.of());
      }
    }
    aggregated.sort(Comparator.comparing(r -> r.getMetadata().getName()));
    boolean changed = true;
    for (int round = 0; changed && round <= byName.size(); round++) {
      changed = false;
      for (ClusterRole role : aggregated) {
        Set<PolicyRule> union = new LinkedHashSet<>();
        for (var selector : role.getAggregationRule().getClusterRoleSelectors()) {
          for (ClusterRole candidate : byName.values()) {
            Map<String, String> labels = candidate.getMetadata().getLabels();
            if (!candidate.getMetadata().getName().equals(role.getMetadata().getName())
                && LabelSelectors.matches(selector, labels == null ? Map.of() : labels)) {
              union.addAll(effective.get(candidate.getMetadata().getName()));
            }
          }
        }
        List<PolicyRule> rules = List.copyOf(union);
        if (!rules.equals(effective.get(role.getMetadata().getName()))) {
          effective.put(role.getMetadata().getName(), rules);
          changed = true;
        }
      }
    }
    return effective;
  }
}
