package dev.rbacsynth.compact;

import dev.rbacsynth.attributes.RequestAttributes;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Generated rules: one ClusterRole's rules and one Role's rules per namespace (sorted by
 * namespace), with how the expansions widened each observed request (the provenance {@code generate
 * --explain} shows; requests nothing widened are not in the map).
 */
public record GeneratedPolicy(
    List<PolicyRule> clusterRules,
    SortedMap<String, List<PolicyRule>> namespaceRules,
    Map<RequestAttributes, Widening> widenings) {

  public GeneratedPolicy(
      List<PolicyRule> clusterRules, SortedMap<String, List<PolicyRule>> namespaceRules) {
    this(clusterRules, namespaceRules, Map.of());
  }

  public GeneratedPolicy {
    widenings = Map.copyOf(widenings);
  }

  /** How the expansions widened {@code request} ({@link Widening#NONE} when they did not). */
  public Widening widening(RequestAttributes request) {
    return widenings.getOrDefault(request, Widening.NONE);
  }

  public boolean isEmpty() {
    return clusterRules.isEmpty() && namespaceRules.isEmpty();
  }

  public int ruleCount() {
    int count = clusterRules.size();
    for (List<PolicyRule> rules : namespaceRules.values()) {
      count += rules.size();
    }
    return count;
  }
}
