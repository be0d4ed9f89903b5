package dev.rbacsynth.authorize;

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
