package dev.rbacsynth.authorize;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes label-selector matching (matchLabels and matchExpressions), for aggregated
 * ClusterRoles.
 */
final class LabelSelectors {
  private LabelSelectors() {}

  /**
   * Whether the selector picks an object with these labels. An empty selector ({@code {}}) selects
   * every object, as {@code metav1.LabelSelectorAsSelector} makes it: an aggregation rule with
   * {@code clusterRoleSelectors: [{}]} aggregates every ClusterRole. A null entry of the selector
   * list is decoded by the apiserver as an empty selector too.
   */
  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return true;
    }
    Map<String, String> match =
        selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
    List<LabelSelectorRequirement> expressions =
        selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions();
    for (Map.Entry<String, String> e : match.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    for (LabelSelectorRequirement r : expressions) {
      String value = labels.get(r.getKey());
      List<String> values = r.getValues() == null ? List.of() : r.getValues();
      boolean ok =
          switch (r.getOperator()) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> labels.containsKey(r.getKey());
            case "DoesNotExist" -> !labels.containsKey(r.getKey());
            default -> false;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
