package dev.rbacsynth.compact;

import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.kube.GeneratedNames;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Turns the requests that need a rule (the generator chose them: see {@code generate.Generator})
 * into minimal rules: apply the expansions the options ask for, drop atoms another atom already
 * covers, put namespaced atoms in that namespace's Role and everything else (cluster-scoped,
 * cluster-wide, non-resource URLs) in the ClusterRole, then compact. Order-independent: the same
 * requests give the same rules whatever order they were read in.
 */
public final class RuleSynthesizer {

  /**
   * Verbs whose name restriction is the whole point: "any name" would be a privilege escalation.
   */
  private static final Set<String> NEVER_NAME_EXPANDED =
      Set.of("impersonate", "bind", "escalate", "approve", "sign");

  private static final Map<String, List<String>> VERB_EXPANSIONS =
      Map.of(
          "watch", List.of("get", "list", "watch"),
          "list", List.of("get", "list", "watch"),
          "update", List.of("get", "patch", "update"),
          "patch", List.of("get", "patch", "update"));

  private record SameOperation(String verb, String group, String resource, String scopeOrName) {
    // Written out: the record's generated methods go through method handles, slow under C1.
    @Override
    public boolean equals(Object o) {
      return o instanceof SameOperation s
          && Objects.equals(verb, s.verb)
          && Objects.equals(group, s.group)
          && Objects.equals(resource, s.resource)
          && Objects.equals(scopeOrName, s.scopeOrName);
    }

    @Override
    public int hashCode() {
      return ((Objects.hashCode(verb) * 31 + Objects.hashCode(group)) * 31
                  + Objects.hashCode(resource))
              * 31
          + Objects.hashCode(scopeOrName);
    }
  }

  private final GenerateOptions options;

  public RuleSynthesizer(GenerateOptions options) {
    this.options = options;
  }

  public GeneratedPolicy synthesize(List<RequestAttributes> requests) {
    // Only the expansions asked for are counted: under --exact a million names make no map.
    Map<SameOperation, Object> namespacesOf = new HashMap<>();
    Map<SameOperation, Object> namesOf = new HashMap<>();
    for (RequestAttributes r : requests) {
      if (r.resourceRequest()) {
        if (options.expandMultiNamespace() && !r.namespace().isEmpty()) {
          addDistinct(namespacesOf, namespaceKey(r), r.namespace());
        }
        if (options.expandMultiName() && !r.name().isEmpty()) {
          addDistinct(namesOf, nameKey(r), r.name());
        }
      }
    }
    Set<Atom> atoms = new HashSet<>();
    Map<RequestAttributes, Widening> widenings = new HashMap<>();
    for (RequestAttributes r : requests) {
      RequestAttributes widened = r;
      int namespaces = 0;
      int names = 0;
      String generated = "";
      if (r.resourceRequest()) {
        if (options.expandMultiNamespace()
            && !r.namespace().isEmpty()
            && count(namespacesOf.get(namespaceKey(r))) > 1) {
          widened = widened.withNamespace("");
          namespaces = count(namespacesOf.get(namespaceKey(r)));
        }
        if (options.expandMultiName()
            && !r.name().isEmpty()
            && !NEVER_NAME_EXPANDED.contains(r.verb())
            && !r.verb().startsWith("impersonate")
            && count(namesOf.get(nameKey(r))) > 1) {
          widened = widened.withName("");
          names = count(namesOf.get(nameKey(r)));
        }
        if (options.widenGeneratedNames()
            && !widened.name().isEmpty()
            && !NEVER_NAME_EXPANDED.contains(r.verb())
            && !r.verb().startsWith("impersonate")) {
          Optional<String> what = GeneratedNames.recognise(r.resource(), r.name());
          if (what.isPresent()) {
            widened = widened.withName("");
            generated = what.get();
          }
        }
      }
      List<String> verbs = verbsFor(widened);
      for (String verb : verbs) {
        atoms.add(Atom.of(widened, verb));
      }
      if (verbs.size() == 1
          && verbs.get(0).equals(r.verb())
          && namespaces == 0
          && names == 0
          && generated.isEmpty()) {
        continue;
      }
      List<String> added = new ArrayList<>(verbs.size());
      for (String v : verbs) {
        if (!v.equals(r.verb())) {
          added.add(v);
        }
      }
      if (namespaces > 0 || names > 0 || !added.isEmpty() || !generated.isEmpty()) {
        widenings.put(r, new Widening(namespaces, names, added, generated));
      }
    }
    namespacesOf = null;
    namesOf = null;
    List<Atom> kept = prune(atoms);
    atoms = null; // the set of a million atoms is not kept while they are compacted
    GeneratedPolicy grouped = group(kept);
    return new GeneratedPolicy(grouped.clusterRules(), grouped.namespaceRules(), widenings);
  }

  /**
   * The distinct values seen for one operation: one value as itself, more as a set (a million
   * operations seen with one value each make no million sets).
   */
  /** Adds {@code value} to the distinct values of {@code key} (no lambda: see RuleCompactor). */
  private static void addDistinct(Map<SameOperation, Object> map, SameOperation key, String value) {
    Object seen = map.get(key);
    map.put(key, seen == null ? value : distinct(seen, value));
  }

  @SuppressWarnings("unchecked")
  private static Object distinct(Object seen, Object value) {
    if (seen instanceof Set<?> set) {
      ((Set<Object>) set).add(value);
      return set;
    }
    if (seen.equals(value)) {
      return seen;
    }
    Set<Object> set = new HashSet<>();
    set.add(seen);
    set.add(value);
    return set;
  }

  private static int count(Object distinct) {
    return distinct instanceof Set<?> set ? set.size() : distinct == null ? 0 : 1;
  }

  private SameOperation namespaceKey(RequestAttributes r) {
    return new SameOperation(
        r.verb(), r.apiGroup(), r.combinedResource(), options.expandMultiName() ? "" : r.name());
  }

  private SameOperation nameKey(RequestAttributes r) {
    return new SameOperation(
        r.verb(),
        r.apiGroup(),
        r.combinedResource(),
        options.expandMultiNamespace() ? "" : "ns:" + r.namespace());
  }

  private List<String> verbsFor(RequestAttributes r) {
    if (!options.expandVerbs() || !r.resourceRequest()) {
      return List.of(r.verb());
    }
    return VERB_EXPANSIONS.getOrDefault(r.verb(), List.of(r.verb()));
  }

  /**
   * Drops atoms that another atom grants too: an unnamed one covers named, a cluster-wide one
   * namespaced.
   */
  static List<Atom> prune(Set<Atom> atoms) {
    List<Atom> kept = new ArrayList<>();
    for (Atom a : atoms) {
      boolean covered =
          a.resourceRequest()
              && ((!a.resourceName().isEmpty() && atoms.contains(a.withResourceName("")))
                  || (!a.namespace().isEmpty() && atoms.contains(a.withNamespace("")))
                  || (!a.namespace().isEmpty()
                      && !a.resourceName().isEmpty()
                      && atoms.contains(a.withNamespace("").withResourceName(""))));
      if (!covered) {
        kept.add(a);
      }
    }
    return kept;
  }

  private static GeneratedPolicy group(List<Atom> atoms) {
    List<Atom> cluster = new ArrayList<>();
    Map<String, List<Atom>> byNamespace = new TreeMap<>();
    for (Atom a : atoms) {
      if (a.namespace().isEmpty()) {
        cluster.add(a);
      } else {
        List<Atom> list = byNamespace.get(a.namespace());
        if (list == null) {
          list = new ArrayList<>();
          byNamespace.put(a.namespace(), list);
        }
        list.add(a);
      }
    }
    SortedMap<String, List<PolicyRule>> roles = new TreeMap<>();
    for (Map.Entry<String, List<Atom>> e : byNamespace.entrySet()) {
      roles.put(e.getKey(), RuleCompactor.compact(e.getValue()));
    }
    return new GeneratedPolicy(RuleCompactor.compact(cluster), roles);
  }
}
