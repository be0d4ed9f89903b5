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

  /** Adds {@code value} to the sorted set of {@code key}, made when missing. */
  private static <K> void add(Map<K, SortedSet<String>> map, K key, String value) {
    SortedSet<String> set = map.get(key);
    if (set == null) {
      set = new TreeSet<>();
      map.put(key, set);
    }
    set.add(value);
  }

  private static SortedSet<String> shared(
      Map<SortedSet<String>, SortedSet<String>> sets, SortedSet<String> set) {
    SortedSet<String> known = sets.putIfAbsent(set, set);
    return known == null ? set : known;
  }

  static List<PolicyRule> compact(Collection<Atom> atoms) {
    // Loops rather than lambdas: each lambda's call site is linked on first use, a cost every small
    // run paid about a dozen times here.
    // The verb sets are shared (one per distinct set): a million names with the same verbs hold
    // one set, not a million.
    Map<SortedSet<String>, SortedSet<String>> verbSets = new HashMap<>();
    Map<ByResource, SortedSet<String>> verbsOf = new HashMap<>();
    Map<String, SortedSet<String>> urlVerbs = new HashMap<>();
    for (Atom atom : atoms) {
      if (atom.resourceRequest()) {
        ByResource key = new ByResource(atom.apiGroup(), atom.resource(), atom.resourceName());
        SortedSet<String> known = verbsOf.get(key);
        if (known == null) {
          verbsOf.put(key, shared(verbSets, new TreeSet<>(Set.of(atom.verb()))));
        } else if (!known.contains(atom.verb())) {
          TreeSet<String> union = new TreeSet<>(known);
          union.add(atom.verb());
          verbsOf.put(key, shared(verbSets, union));
        }
      } else {
        add(urlVerbs, atom.nonResourceURL(), atom.verb());
      }
    }
    Map<ByVerbs, SortedSet<String>> namesOf = new HashMap<>();
    for (Map.Entry<ByResource, SortedSet<String>> e : verbsOf.entrySet()) {
      ByResource k = e.getKey();
      add(namesOf, new ByVerbs(k.group(), k.resource(), e.getValue()), k.name());
    }
    Map<ByNames, SortedSet<String>> resourcesOf = new HashMap<>();
    for (Map.Entry<ByVerbs, SortedSet<String>> e : namesOf.entrySet()) {
      ByVerbs k = e.getKey();
      SortedSet<String> names = e.getValue();
      // An unnamed grant ("" among the names) already covers every name.
      SortedSet<String> nameSet = names.contains("") ? new TreeSet<>() : names;
      add(resourcesOf, new ByNames(k.group(), k.verbs(), nameSet), k.resource());
    }
    List<PolicyRule> rules = new ArrayList<>();
    for (Map.Entry<ByNames, SortedSet<String>> e : resourcesOf.entrySet()) {
      ByNames k = e.getKey();
      PolicyRuleBuilder rule =
          new PolicyRuleBuilder()
              .withApiGroups(k.group())
              .withResources(List.copyOf(e.getValue()))
              .withVerbs(List.copyOf(k.verbs()));
      if (!k.names().isEmpty()) {
        rule.withResourceNames(List.copyOf(k.names()));
      }
      rules.add(rule.build());
    }
    Map<SortedSet<String>, SortedSet<String>> urlsOf = new HashMap<>();
    for (Map.Entry<String, SortedSet<String>> e : urlVerbs.entrySet()) {
      add(urlsOf, e.getValue(), e.getKey());
    }
    for (Map.Entry<SortedSet<String>, SortedSet<String>> e : urlsOf.entrySet()) {
      rules.add(
          new PolicyRuleBuilder()
              .withNonResourceURLs(List.copyOf(e.getValue()))
              .withVerbs(List.copyOf(e.getKey()))
              .build());
    }
    rules.sort(RuleOrder.INSTANCE);
    return rules;
  }
}
