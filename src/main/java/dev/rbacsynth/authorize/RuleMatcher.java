package dev.rbacsynth.authorize;

import dev.rbacsynth.attributes.RequestAttributes;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.List;

/**
 * Whether one RBAC rule allows one request, exactly as the apiserver's {@code RuleAllows}: verbs
 * and apiGroups are {@code *} or exact; resources are {@code *}, exact {@code res[/sub]} or {@code
 * * /sub} (no other wildcard: {@code pods/*} matches nothing); resourceNames empty or exact;
 * non-resource URLs exact or a trailing-{@code *} prefix.
 */
public final class RuleMatcher {
  private RuleMatcher() {}

  public static boolean allows(PolicyRule rule, RequestAttributes a) {
    if (!verbMatches(rule, a.verb())) {
      return false;
    }
    if (a.resourceRequest()) {
      return apiGroupMatches(rule, a.apiGroup())
          && resourceMatches(rule, a.combinedResource(), a.subresource())
          && resourceNameMatches(rule, a.name());
    }
    return nonResourceURLMatches(rule, a.path());
  }

  public static boolean verbMatches(PolicyRule rule, String verb) {
    for (String v : nullToEmpty(rule.getVerbs())) {
      if (v.equals("*") || v.equals(verb)) {
        return true;
      }
    }
    return false;
  }

  public static boolean apiGroupMatches(PolicyRule rule, String group) {
    for (String g : nullToEmpty(rule.getApiGroups())) {
      if (g.equals("*") || g.equals(group)) {
        return true;
      }
    }
    return false;
  }

  public static boolean resourceMatches(PolicyRule rule, String combined, String subresource) {
    for (String r : nullToEmpty(rule.getResources())) {
      if (r.equals("*") || r.equals(combined)) {
        return true;
      }
      if (!subresource.isEmpty()
          && r.length() == subresource.length() + 2
          && r.startsWith("*/")
          && r.endsWith(subresource)) {
        return true;
      }
    }
    return false;
  }

  public static boolean resourceNameMatches(PolicyRule rule, String name) {
    List<String> names = nullToEmpty(rule.getResourceNames());
    if (names.isEmpty()) {
      return true;
    }
    return names.contains(name);
  }

  public static boolean nonResourceURLMatches(PolicyRule rule, String path) {
    for (String u : nullToEmpty(rule.getNonResourceURLs())) {
      if (u.equals("*") || u.equals(path)) {
        return true;
      }
      if (u.endsWith("*")) {
        String prefix = u;
        while (prefix.endsWith("*")) {
          prefix = prefix.substring(0, prefix.length() - 1);
        }
        if (path.startsWith(prefix)) {
          return true;
        }
      }
    }
    return false;
  }

  static List<String> nullToEmpty(List<String> list) {
    return list == null ? List.of() : list;
  }
}
