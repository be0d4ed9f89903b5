package dev.rbacsynth.compact;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Compacts atoms of one scope into rules that grant exactly the same set: merge verbs per (group,
 * resource, name), then names per (group, resource, verbs), then resources per (group, verbs,
 * names); non-resource URLs merge by verbs. Each step groups by a key and every rule is a full
 * product, so nothing is granted that was not an atom. Deterministic (the result is sorted) and O(n
 * log n).
 */
final class RuleCompactor {

  // The keys' equals and hashCode are written out (the same values as the records' own): the
  // generated ones are linked through method handles on first use, a cost every small run paid.

  private record ByResource(String group, String resource, String name) {
    @Override
    public boolean equals(Object o) {
      return o instanceof ByResource k
          && Objects.equals(group, k.group)
          && Objects.equals(resource, k.resource)
          && Objects.equals(name, k.name);
    }

    @Override
    public int hashCode() {
      return hash(group, resource, name);
    }
  }

  private record ByVerbs(String group, String resource, SortedSet<String> verbs) {
    @Override
    public boolean equals(Object o) {
      return o instanceof ByVerbs k
          && Objects.equals(group, k.group)
          && Objects.equals(resource, k.resource)
          && Objects.equals(verbs, k.verbs);
    }

    @Override
    public int hashCode() {
      return hash(group, resource, verbs);
    }
  }

  private record ByNames(String group, SortedSet<String> verbs, SortedSet<String> names) {
    @Override
    public boolean equals(Object o) {
      return o instanceof ByNames k
          && Objects.equals(group, k.group)
          && Objects.equals(verbs, k.verbs)
          && Objects.equals(names, k.names);
    }

    @Override
    public int hashCode() {
      return hash(group, verbs, names);
    }
  }

  /** A record's hash of three components (31 * h + component, from 0). */
  private static int hash(Object a, Object b, Object c) {
    return 31 * (31 * Objects.hashCode(a) + Objects.hashCode(b)) + Objects.hashCode(c);
  }

  private RuleCompactor() {}

  private static SortedSet<String> shared(
      Map<SortedSet<String>, SortedSet<String>> sets, SortedSet<String> set) {
    SortedSet<String> known = sets.putIfAbsent(set, set);
    return known == null ? set : known;
  }

  static List<PolicyRule> compact(Collection<Atom> atoms) {
    // The verb sets are shared (one per distinct set): a million names with the same verbs hold
    // one set, not a million.
    Map<SortedSet<String>, SortedSet<String>> verbSets = new HashMap<>();
    Map<ByResource, SortedSet<String>> verbsOf = new HashMap<>();
    Map<String, SortedSet<String>> urlVerbs = new HashMap<>();
    for (Atom atom : atoms) {
      if (atom.resourceRequest()) {
        verbsOf.merge(
            new ByResource(atom.apiGroup(), atom.resource(), atom.resourceName()),
            shared(verbSets, new TreeSet<>(Set.of(atom.verb()))),
            (a, b) -> {
              if (a.containsAll(b)) {
                return a;
              }
              TreeSet<String> union = new TreeSet<>(a);
              union.addAll(b);
              return shared(verbSets, union);
            });
      } else {
        urlVerbs.computeIfAbsent(atom.nonResourceURL(), k -> new TreeSet<>()).add(atom.verb());
      }
    }
    Map<ByVerbs, SortedSet<String>> namesOf = new HashMap<>();
    verbsOf.forEach(
        (k, verbs) ->
            namesOf
                .computeIfAbsent(new ByVerbs(k.group(), k.resource(), verbs), x -> new TreeSet<>())
                .add(k.name()));
    Map<ByNames, SortedSet<String>> resourcesOf = new HashMap<>();
    namesOf.forEach(
        (k, names) -> {
          // An unnamed grant ("" among the names) already covers every name.
          SortedSet<String> nameSet = names.contains("") ? new TreeSet<>() : names;
          resourcesOf
              .computeIfAbsent(new ByNames(k.group(), k.verbs(), nameSet), x -> new TreeSet<>())
              .add(k.resource());
        });
    List<PolicyRule> rules = new ArrayList<>();
    resourcesOf.forEach(
        (k, resources) -> {
          PolicyRuleBuilder rule =
              new PolicyRuleBuilder()
                  .withApiGroups(k.group())
                  .withResources(List.copyOf(resources))
                  .withVerbs(List.copyOf(k.verbs()));
          if (!k.names().isEmpty()) {
            rule.withResourceNames(List.copyOf(k.names()));
          }
          rules.add(rule.build());
        });
    Map<SortedSet<String>, SortedSet<String>> urlsOf = new HashMap<>();
    urlVerbs.forEach((url, verbs) -> urlsOf.computeIfAbsent(verbs, x -> new TreeSet<>()).add(url));
    urlsOf.forEach(
        (verbs, urls) ->
            rules.add(
                new PolicyRuleBuilder()
                    .withNonResourceURLs(List.copyOf(urls))
                    .withVerbs(List.copyOf(verbs))
                    .build()));
    rules.sort(RuleOrder.INSTANCE);
    return rules;
  }
}
