package dev.rbacsynth.cani;

import dev.rbacsynth.authorize.Authorizer;
import dev.rbacsynth.authorize.BindingRef;
import dev.rbacsynth.authorize.Grant;
import dev.rbacsynth.authorize.Inertness;
import dev.rbacsynth.event.UserInfo;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything a user may do in a namespace ("" = cluster scope), as {@code kubectl auth can-i
 * --list} prints it: one row per resource (or non-resource URL) and resource-name list, the verbs
 * of every rule that grants it merged. Grants the binding cannot give (cluster-scoped resources and
 * URLs through a RoleBinding) are left out and counted.
 */
public final class AccessList {

  /** One row of the table. */
  public record Row(
      String resources,
      String nonResourceURLs,
      String resourceNames,
      Set<String> verbs,
      Set<String> grantedBy) {}

  private record Key(int kind, String resources, String urls, String names) {}

  private final List<Row> rows;
  private final int inert;

  private AccessList(List<Row> rows, int inert) {
    this.rows = rows;
    this.inert = inert;
  }

  public static AccessList of(Authorizer authorizer, UserInfo user, String namespace) {
    Map<Key, Row> rows =
        new TreeMap<>(
            Comparator.comparingInt(Key::kind)
                .thenComparing(Key::resources)
                .thenComparing(Key::urls)
                .thenComparing(Key::names));
    int[] inert = {0};
    authorizer.visitRulesFor(
        user,
        namespace,
        (binding, subject, index, rule) -> {
          String names = brackets(rule.getResourceNames());
          String by = binding.describe();
          for (String group : list(rule.getApiGroups())) {
            for (String resource : list(rule.getResources())) {
              if (inertForEveryVerb(binding, rule, group, resource)) {
                inert[0]++;
                continue;
              }
              String key =
                  resource.contains("/")
                      ? resource.replaceFirst("/", group.isEmpty() ? "/" : "." + group + "/")
                      : resource + (group.isEmpty() ? "" : "." + group);
              add(rows, new Key(0, key, "[]", names), rule, by);
            }
          }
          for (String url : list(rule.getNonResourceURLs())) {
            if (!Inertness.why(binding, Grant.url("", url)).isEmpty()) {
              inert[0]++;
              continue;
            }
            add(rows, new Key(1, "", "[" + url + "]", "[]"), rule, by);
          }
          return true;
        });
    return new AccessList(List.copyOf(rows.values()), inert[0]);
  }

  /** Whether the binding cannot give any verb of the rule on this resource (bind can, say). */
  private static boolean inertForEveryVerb(
      BindingRef binding, PolicyRule rule, String group, String resource) {
    return list(rule.getVerbs()).stream()
        .allMatch(
            verb -> !Inertness.why(binding, Grant.resource(verb, group, resource, "")).isEmpty());
  }

  private static void add(Map<Key, Row> rows, Key key, PolicyRule rule, String by) {
    Row row =
        rows.computeIfAbsent(
            key,
            k ->
                new Row(
                    k.resources(), k.urls(), k.names(), new LinkedHashSet<>(), new TreeSet<>()));
    row.verbs().addAll(list(rule.getVerbs()));
    row.grantedBy().add(by);
  }

  public List<Row> rows() {
    return rows;
  }

  /** Grants left out because the binding that carries them cannot give them. */
  public int inert() {
    return inert;
  }

  private static String brackets(List<String> values) {
    return "[" + String.join(" ", list(values)) + "]";
  }

  private static List<String> list(List<String> l) {
    return l == null ? List.of() : l;
  }
}
