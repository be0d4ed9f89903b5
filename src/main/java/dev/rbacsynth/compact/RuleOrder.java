package dev.rbacsynth.compact;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.Comparator;
import java.util.List;

/**
 * audit2rbac's rule order, so its users see familiar output: by the joined apiGroups, then by a
 * compact text of the rule (apiGroups, resources, nonResourceURLs, resourceNames, verbs).
 */
public final class RuleOrder implements Comparator<PolicyRule> {
  public static final RuleOrder INSTANCE = new RuleOrder();

  private RuleOrder() {}

  @Override
  public int compare(PolicyRule a, PolicyRule b) {
    int c =
        String.join(",", list(a.getApiGroups()))
            .compareTo(String.join(",", list(b.getApiGroups())));
    return c != 0 ? c : compactString(a).compareTo(compactString(b));
  }

  static String compactString(PolicyRule r) {
    StringBuilder s = new StringBuilder("{");
    part(s, "APIGroups", r.getApiGroups());
    part(s, "Resources", r.getResources());
    part(s, "NonResourceURLs", r.getNonResourceURLs());
    part(s, "ResourceNames", r.getResourceNames());
    part(s, "Verbs", r.getVerbs());
    return s.append('}').toString();
  }

  private static void part(StringBuilder s, String label, List<String> values) {
    if (values == null || values.isEmpty()) {
      return;
    }
    if (s.length() > 1) {
      s.append(", ");
    }
    s.append(label).append(":[");
    for (int i = 0; i < values.size(); i++) {
      s.append(i == 0 ? "" : " ").append('"').append(values.get(i)).append('"');
    }
    s.append(']');
  }

  private static List<String> list(List<String> l) {
    return l == null ? List.of() : l;
  }
}
