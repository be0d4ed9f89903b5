package dev.rbacsynth.compact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Harness;
import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.authorize.RuleMatcher;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Compaction is exact: the rules grant every atom and nothing else (an unnamed atom stands for
 * every name of its verb and resource), and they are as few as the three merge steps make them.
 */
class RuleCompactorTest {

  private static Atom atom(String verb, String group, String resource, String name) {
    return new Atom(true, "shop", group, resource, name, "", verb);
  }

  private static Atom url(String verb, String url) {
    return new Atom(false, "", "", "", "", url, verb);
  }

  private static List<String> compact(Atom... atoms) {
    return RuleCompactor.compact(List.of(atoms)).stream().map(Harness::text).toList();
  }

  @Test
  void verbsThenNamesThenResourcesMerge() {
    assertThat(
            compact(
                atom("get", "", "pods", ""),
                atom("list", "", "pods", ""),
                atom("get", "", "services", ""),
                atom("list", "", "services", "")))
        .containsExactly("[\"\"] [pods, services] [get, list]");
    assertThat(compact(atom("get", "", "configmaps", "a"), atom("get", "", "configmaps", "b")))
        .containsExactly("[\"\"] [configmaps] names=[a, b] [get]");
    assertThat(compact(atom("get", "", "configmaps", "a"), atom("list", "", "configmaps", "b")))
        .containsExactly(
            "[\"\"] [configmaps] names=[a] [get]", "[\"\"] [configmaps] names=[b] [list]");
    assertThat(compact(atom("get", "", "configmaps", "a"), atom("get", "", "configmaps", "")))
        .as("the unnamed grant covers the name")
        .containsExactly("[\"\"] [configmaps] [get]");
    assertThat(compact(atom("get", "apps", "deployments", ""), atom("get", "", "pods", "")))
        .as("groups never merge")
        .containsExactly("[\"\"] [pods] [get]", "[apps] [deployments] [get]");
  }

  @Test
  void urlsMergeByTheirVerbs() {
    assertThat(
            compact(
                url("get", "/metrics"),
                url("get", "/healthz/etcd"),
                url("post", "/metrics"),
                url("head", "/livez")))
        .containsExactly(
            "urls=[/healthz/etcd] [get]", "urls=[/livez] [head]", "urls=[/metrics] [get, post]");
  }

  @Test
  void theRulesGrantExactlyTheAtoms() {
    List<String> verbs = List.of("get", "list", "update");
    List<String> groups = List.of("", "apps");
    List<String> resources = List.of("pods", "pods/log", "deployments");
    List<String> names = List.of("", "a", "b");
    List<String> urls = List.of("/metrics", "/healthz");
    Random random = new Random(6);
    for (int run = 0; run < 300; run++) {
      Set<Atom> atoms = new LinkedHashSet<>();
      int size = 1 + random.nextInt(12);
      for (int i = 0; i < size; i++) {
        atoms.add(
            random.nextInt(5) == 0
                ? url(pick(random, verbs), pick(random, urls))
                : atom(
                    pick(random, verbs),
                    pick(random, groups),
                    pick(random, resources),
                    pick(random, names)));
      }
      List<PolicyRule> rules = RuleCompactor.compact(atoms);
      Set<Atom> granted = new HashSet<>();
      for (Atom a : product(rules)) {
        granted.add(a);
        assertThat(atoms.contains(a) || atoms.contains(a.withResourceName("")))
            .as("%s grants %s, which is not an atom of %s", rules, a, atoms)
            .isTrue();
      }
      for (Atom a : atoms) {
        assertThat(rules.stream().anyMatch(r -> RuleMatcher.allows(r, request(a))))
            .as("%s misses %s", rules, a)
            .isTrue();
      }
      assertThat(granted.size()).as("no rule repeats a grant").isEqualTo(grantCount(rules));
    }
  }

  private static String pick(Random random, List<String> values) {
    return values.get(random.nextInt(values.size()));
  }

  /** Every (verb, group, resource, name) or (verb, url) a rule lists. */
  private static List<Atom> product(List<PolicyRule> rules) {
    List<Atom> out = new ArrayList<>();
    for (PolicyRule r : rules) {
      List<String> names =
          list(r.getResourceNames()).isEmpty() ? List.of("") : r.getResourceNames();
      for (String verb : list(r.getVerbs())) {
        for (String group : list(r.getApiGroups())) {
          for (String resource : list(r.getResources())) {
            for (String name : names) {
              out.add(atom(verb, group, resource, name));
            }
          }
        }
        for (String u : list(r.getNonResourceURLs())) {
          out.add(url(verb, u));
        }
      }
    }
    return out;
  }

  private static List<String> list(List<String> values) {
    return values == null ? List.of() : values;
  }

  private static int grantCount(List<PolicyRule> rules) {
    return product(rules).size();
  }

  private static RequestAttributes request(Atom a) {
    if (!a.resourceRequest()) {
      return RequestAttributes.nonResource(a.verb(), a.nonResourceURL());
    }
    String[] parts = a.resource().split("/", 2);
    return RequestAttributes.resource(
        a.verb(),
        a.apiGroup(),
        parts[0],
        parts.length > 1 ? parts[1] : "",
        "shop",
        a.resourceName());
  }
}
