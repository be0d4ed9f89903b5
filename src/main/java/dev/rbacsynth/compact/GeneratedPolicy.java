package dev.rbacsynth.compact;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.List;
import java.util.SortedMap;

/**
 * Generated rules: one ClusterRole's rules and one Role's rules per namespace (sorted by
 * namespace).
 */
public record GeneratedPolicy(
    List<PolicyRule> clusterRules, SortedMap<String, List<PolicyRule>> namespaceRules) {

  public boolean isEmpty() {
    return clusterRules.isEmpty() && namespaceRules.isEmpty();
  }

  public int ruleCount() {
    return clusterRules.size() + namespaceRules.values().stream().mapToInt(List::size).sum();
  }
}
