package dev.rbacsynth.compact;

import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.kube.GeneratedNames;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
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
    Set<Atom> atoms = new LinkedHashSet<>();
    Map<SameOperation, Set<String>> namespacesOf = new HashMap<>();
    Map<SameOperation, Set<String>> namesOf = new HashMap<>();
    for (RequestAttributes r : requests) {
      if (r.resourceRequest()) {
        if (!r.namespace().isEmpty()) {
          namespacesOf.computeIfAbsent(namespaceKey(r), k -> new HashSet<>()).add(r.namespace());
        }
        if (!r.name().isEmpty()) {
          namesOf.computeIfAbsent(nameKey(r), k -> new HashSet<>()).add(r.name());
        }
      }
    }
    Map<RequestAttributes, Widening> widenings = new HashMap<>();
    for (RequestAttributes r : requests) {
      RequestAttributes widened = r;
      int namespaces = 0;
      int names = 0;
      String generated = "";
      if (r.resourceRequest()) {
        if (options.expandMultiNamespace()
            && !r.namespace().isEmpty()
            && namespacesOf.get(namespaceKey(r)).size() > 1) {
          widened = widened.withNamespace("");
          namespaces = namespacesOf.get(namespaceKey(r)).size();
        }
        if (options.expandMultiName()
            && !r.name().isEmpty()
            && !NEVER_NAME_EXPANDED.contains(r.verb())
            && !r.verb().startsWith("impersonate")
            && namesOf.get(nameKey(r)).size() > 1) {
          widened = widened.withName("");
          names = namesOf.get(nameKey(r)).size();
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
      List<String> added = verbs.stream().filter(v -> !v.equals(r.verb())).toList();
      if (namespaces > 0 || names > 0 || !added.isEmpty() || !generated.isEmpty()) {
        widenings.put(r, new Widening(namespaces, names, added, generated));
      }
    }
    GeneratedPolicy grouped = group(prune(atoms));
    return new GeneratedPolicy(grouped.clusterRules(), grouped.namespaceRules(), widenings);
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
  static Set<Atom> prune(Set<Atom> atoms) {
    Set<Atom> kept = new LinkedHashSet<>();
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

  private static GeneratedPolicy group(Set<Atom> atoms) {
    List<Atom> cluster = new ArrayList<>();
    Map<String, List<Atom>> byNamespace = new TreeMap<>();
    for (Atom a : atoms) {
      if (a.namespace().isEmpty()) {
        cluster.add(a);
      } else {
        byNamespace.computeIfAbsent(a.namespace(), ns -> new ArrayList<>()).add(a);
      }
    }
    SortedMap<String, List<PolicyRule>> roles = new TreeMap<>();
    byNamespace.forEach((ns, list) -> roles.put(ns, RuleCompactor.compact(list)));
    return new GeneratedPolicy(RuleCompactor.compact(cluster), roles);
  }
}
