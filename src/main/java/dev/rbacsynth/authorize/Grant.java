package dev.rbacsynth.authorize;

import dev.rbacsynth.attributes.RequestAttributes;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One atomic grant of a rule, as {@code Covers} decomposes rules (semantics.md §5.8): a verb on
 * (apiGroup, resource[/subresource], resourceName) where "" means any name, or a verb on a
 * non-resource URL. Wildcards stay as they are written; an atom with {@code *} is one grant.
 */
public record Grant(
    String verb, String apiGroup, String resource, String resourceName, String nonResourceURL) {

  public static Grant resource(String verb, String apiGroup, String resource, String resourceName) {
    return new Grant(verb, apiGroup, resource, resourceName, "");
  }

  public static Grant url(String verb, String url) {
    return new Grant(verb, "", "", "", url);
  }

  /** The atoms of a rule, in the rule's own order, without repeats. */
  public static List<Grant> of(PolicyRule rule) {
    Set<Grant> out = new LinkedHashSet<>();
    List<String> names =
        list(rule.getResourceNames()).isEmpty() ? List.of("") : list(rule.getResourceNames());
    for (String verb : list(rule.getVerbs())) {
      for (String group : list(rule.getApiGroups())) {
        for (String resource : list(rule.getResources())) {
          for (String name : names) {
            out.add(resource(verb, group, resource, name));
          }
        }
      }
      for (String url : list(rule.getNonResourceURLs())) {
        out.add(url(verb, url));
      }
    }
    return new ArrayList<>(out);
  }

  public boolean isNonResource() {
    return !nonResourceURL.isEmpty();
  }

  /** The grant as a rule of its own, so that the one {@link RuleMatcher} decides what it allows. */
  public PolicyRule asRule() {
    PolicyRuleBuilder b = new PolicyRuleBuilder().withVerbs(verb);
    if (isNonResource()) {
      return b.withNonResourceURLs(nonResourceURL).build();
    }
    b.withApiGroups(apiGroup).withResources(resource);
    if (!resourceName.isEmpty()) {
      b.withResourceNames(resourceName);
    }
    return b.build();
  }

  public boolean allows(RequestAttributes request) {
    return RuleMatcher.allows(asRule(), request);
  }

  /** The resource without its subresource: {@code pods} for {@code pods/log}. */
  public String baseResource() {
    int slash = resource.indexOf('/');
    return slash < 0 ? resource : resource.substring(0, slash);
  }

  /**
   * A concrete request in {@code namespace} that exactly this grant allows, or empty when the grant
   * holds a wildcard (a {@code *} verb, group, resource or URL prefix) that no single request
   * stands for.
   */
  public Optional<RequestAttributes> probe(String namespace) {
    if (verb.equals("*")) {
      return Optional.empty();
    }
    if (isNonResource()) {
      return nonResourceURL.endsWith("*")
          ? Optional.empty()
          : Optional.of(RequestAttributes.nonResource(verb, nonResourceURL));
    }
    if (apiGroup.equals("*") || resource.contains("*")) {
      return Optional.empty();
    }
    int slash = resource.indexOf('/');
    String sub = slash < 0 ? "" : resource.substring(slash + 1);
    return Optional.of(
        RequestAttributes.resource(verb, apiGroup, baseResource(), sub, namespace, resourceName));
  }

  /**
   * kubectl-like target: {@code pods/log}, {@code deployments.apps/scale}, {@code /metrics}, plus a
   * name.
   */
  public String target() {
    if (isNonResource()) {
      return nonResourceURL;
    }
    int slash = resource.indexOf('/');
    String base = slash < 0 ? resource : resource.substring(0, slash);
    String sub = slash < 0 ? "" : resource.substring(slash);
    String t = base + (apiGroup.isEmpty() ? "" : "." + apiGroup) + sub;
    return resourceName.isEmpty() ? t : t + " " + resourceName;
  }

  public String describe() {
    return verb + " " + target();
  }

  private static List<String> list(List<String> l) {
    return l == null ? List.of() : l;
  }
}
