package dev.rbacsynth.review;

import dev.rbacsynth.authorize.RuleMatcher;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A grant that is dangerous whether it was used or not, with a one-line reason. Each check asks the
 * one {@link RuleMatcher} whether the rule grants the verb on the resource (names aside: a
 * name-restricted grant is still flagged, and the names are quoted). Checks on cluster-scoped
 * targets only fire through a ClusterRoleBinding, as a RoleBinding cannot grant them; a rule of
 * {@code *} groups, resources and verbs is reported once as a wildcard.
 *
 * @param risk a stable identifier: {@code wildcard}, {@code secrets-read-cluster-wide}, {@code
 *     escalate}, {@code bind}, {@code impersonate}, {@code pods-exec}, {@code pods-attach}, {@code
 *     nodes-proxy}, {@code workloads-in-kube-system}, {@code serviceaccount-token}, {@code
 *     csr-approval}, {@code signer-approve}, {@code empty-resource-name}
 */
public record Risk(AppliedRule rule, String risk, String why) {

  /** Every risk identifier: wildcard, each check of the table, empty-resource-name. */
  public static List<String> kinds() {
    List<String> out = new ArrayList<>();
    out.add("wildcard");
    CHECKS.forEach(c -> out.add(c.id()));
    out.add("empty-resource-name");
    return out;
  }

  private static final String RBAC = "rbac.authorization.k8s.io";
  private static final String AUTHN = "authentication.k8s.io";
  private static final String CERTS = "certificates.k8s.io";
  private static final String KUBE_SYSTEM = "kube-system";

  /**
   * One (apiGroup, resource[/subresource]) a check looks at, and whether only a ClusterRoleBinding
   * grants it.
   */
  private record Target(String group, String resource, boolean clusterScoped) {
    String text() {
      return resource + (group.isEmpty() ? "" : "." + group);
    }
  }

  /**
   * One check of the table: when it applies to a rule, the verbs and targets it looks for, and the
   * consequence that ends the reason.
   */
  private record Check(
      String id,
      Predicate<AppliedRule> when,
      Function<PolicyRule, List<String>> verbs,
      List<Target> targets,
      Function<AppliedRule, String> consequence) {

    static Check always(String id, List<String> verbs, List<Target> targets, String consequence) {
      return new Check(id, r -> true, rule -> verbs, targets, r -> consequence);
    }
  }

  /** The dangerous grants, in the order they are reported (after a wildcard). */
  private static final List<Check> CHECKS =
      List.of(
          new Check(
              "secrets-read-cluster-wide",
              AppliedRule::clusterWide,
              rule -> List.of("get", "list", "watch"),
              List.of(new Target("", "secrets", false)),
              r -> " in every namespace: every service-account token and credential"),
          // escalate on a ClusterRole is checked cluster-wide, bind in the new binding's namespace
          new Check(
              "escalate",
              r -> true,
              rule -> List.of("escalate"),
              List.of(new Target(RBAC, "roles", false), new Target(RBAC, "clusterroles", true)),
              r -> scope(r, ": may write roles with permissions it does not hold")),
          new Check(
              "bind",
              r -> true,
              rule -> List.of("bind"),
              List.of(new Target(RBAC, "roles", false), new Target(RBAC, "clusterroles", false)),
              r -> scope(r, ": may bind roles it does not hold")),
          new Check(
              "impersonate",
              r -> true,
              Risk::impersonateVerbs,
              List.of(
                  new Target("", "users", true),
                  new Target("", "groups", true),
                  new Target("", "serviceaccounts", false),
                  new Target(AUTHN, "users", true),
                  new Target(AUTHN, "groups", true),
                  new Target(AUTHN, "serviceaccounts", false),
                  new Target(AUTHN, "nodes", true),
                  new Target(AUTHN, "uids", true),
                  new Target(AUTHN, "userextras", true)),
              r -> ": may act as other identities, up to cluster administrators"),
          new Check(
              "pods-exec",
              r -> true,
              rule -> List.of("create", "get"),
              List.of(new Target("", "pods/exec", false)),
              r ->
                  " "
                      + where(r)
                      + ": runs commands in containers and reads their secrets and tokens"),
          new Check(
              "pods-attach",
              r -> true,
              rule -> List.of("create", "get"),
              List.of(new Target("", "pods/attach", false)),
              r -> " " + where(r) + ": attaches to running containers"),
          Check.always(
              "nodes-proxy",
              List.of("get", "create", "update", "patch", "delete"),
              List.of(new Target("", "nodes/proxy", true)),
              ": the kubelet API of every node, which allows exec into any pod on it"),
          new Check(
              "workloads-in-kube-system",
              r -> r.clusterWide() || r.namespace().equals(KUBE_SYSTEM),
              rule -> List.of("create"),
              List.of(
                  new Target("", "pods", false), new Target("", "replicationcontrollers", false),
                  new Target("apps", "deployments", false), new Target("apps", "daemonsets", false),
                  new Target("apps", "statefulsets", false),
                      new Target("apps", "replicasets", false),
                  new Target("batch", "jobs", false), new Target("batch", "cronjobs", false)),
              r ->
                  " in kube-system: runs code there as any kube-system service account,"
                      + " controllers' included"),
          new Check(
              "serviceaccount-token",
              r -> true,
              rule -> List.of("create"),
              List.of(new Target("", "serviceaccounts/token", false)),
              r -> " " + where(r) + ": mints tokens for those service accounts"),
          Check.always(
              "csr-approval",
              List.of("update"),
              List.of(new Target(CERTS, "certificatesigningrequests/approval", true)),
              ": approves certificate signing requests (with a signer's approve, issues"
                  + " credentials)"),
          Check.always(
              "signer-approve",
              List.of("approve"),
              List.of(new Target(CERTS, "signers", true)),
              ": approves CSRs for the signer, i.e. issues client certificates it accepts"));

  public static List<Risk> find(List<AppliedRule> applied) {
    List<Risk> out = new ArrayList<>();
    for (AppliedRule r : applied) {
      out.addAll(of(r));
    }
    return out;
  }

  /**
   * The risks of one rule: a wildcard (a rule of {@code *} groups, resources and verbs is only
   * that), then each check of the table that applies, then an empty resource name.
   */
  static List<Risk> of(AppliedRule r) {
    PolicyRule rule = r.rule();
    List<Risk> out = new ArrayList<>();
    List<String> wild = new ArrayList<>();
    addIfWild(wild, "apiGroups", rule.getApiGroups());
    addIfWild(wild, "resources", rule.getResources());
    addIfWild(wild, "verbs", rule.getVerbs());
    addIfWild(wild, "nonResourceURLs", rule.getNonResourceURLs());
    boolean full = wild.containsAll(List.of("apiGroups", "resources", "verbs"));
    if (!wild.isEmpty()) {
      out.add(new Risk(r, "wildcard", wildcardWhy(wild, full, r)));
    }
    if (full) {
      return out;
    }
    String names =
        list(rule.getResourceNames()).isEmpty()
            ? ""
            : " (only names " + String.join(", ", rule.getResourceNames()) + ")";
    for (Check c : CHECKS) {
      if (c.when().test(r)) {
        check(out, r, c.id(), c.verbs().apply(rule), c.targets(), c.consequence().apply(r) + names);
      }
    }
    if (list(rule.getResourceNames()).contains("")) {
      out.add(
          new Risk(
              r,
              "empty-resource-name",
              "resourceNames [\"\"] also matches requests without a name: create, list, watch, deletecollection"));
    }
    return out;
  }

  /** {@code impersonate} and the constrained {@code impersonate:<mode>} verbs the rule names. */
  private static List<String> impersonateVerbs(PolicyRule rule) {
    Set<String> verbs = new LinkedHashSet<>(List.of("impersonate"));
    list(rule.getVerbs()).stream().filter(v -> v.startsWith("impersonate:")).forEach(verbs::add);
    return List.copyOf(verbs);
  }

  private static String where(AppliedRule r) {
    return r.clusterWide() ? "in every namespace" : "in namespace " + r.namespace();
  }

  /**
   * Adds one finding when the rule grants some of {@code verbs} on some of {@code targets} through
   * this binding.
   */
  private static void check(
      List<Risk> out,
      AppliedRule r,
      String id,
      List<String> verbs,
      List<Target> targets,
      String consequence) {
    Set<String> grantedVerbs = new LinkedHashSet<>();
    Set<String> grantedTargets = new LinkedHashSet<>();
    for (Target t : targets) {
      if (t.clusterScoped() && !r.clusterWide()) {
        continue; // inert through a RoleBinding
      }
      int slash = t.resource().indexOf('/');
      String sub = slash < 0 ? "" : t.resource().substring(slash + 1);
      for (String verb : verbs) {
        if (RuleMatcher.verbMatches(r.rule(), verb)
            && RuleMatcher.apiGroupMatches(r.rule(), t.group())
            && RuleMatcher.resourceMatches(r.rule(), t.resource(), sub)) {
          grantedVerbs.add(verb);
          grantedTargets.add(t.text());
        }
      }
    }
    if (!grantedVerbs.isEmpty()) {
      out.add(
          new Risk(
              r,
              id,
              String.join(", ", grantedVerbs)
                  + " "
                  + String.join(", ", grantedTargets)
                  + consequence));
    }
  }

  private static String scope(AppliedRule r, String consequence) {
    return (r.clusterWide() ? "" : " in namespace " + r.namespace()) + consequence;
  }

  private static String wildcardWhy(List<String> wild, boolean full, AppliedRule r) {
    String where = r.clusterWide() ? "in the whole cluster" : "in namespace " + r.namespace();
    if (full) {
      return "\"*\" apiGroups, resources and verbs: full control of every resource "
          + where
          + ", including secrets, RBAC and workloads";
    }
    List<String> parts = new ArrayList<>();
    if (wild.contains("verbs")) {
      parts.add("every verb, including delete, escalate, bind and impersonate");
    }
    if (wild.contains("resources")) {
      List<String> groups = list(r.rule().getApiGroups());
      boolean core = groups.contains("") || groups.contains("*");
      parts.add(
          "every resource and subresource of "
              + (groups.contains("*")
                  ? "every API group"
                  : "apiGroups " + groups.stream().map(g -> g.isEmpty() ? "\"\"" : g).toList())
              + (core ? " (secrets, pods/exec, ...)" : ""));
    }
    if (wild.contains("apiGroups")) {
      parts.add("its resources in every API group, including ones added later");
    }
    if (wild.contains("nonResourceURLs")) {
      parts.add("every non-resource path (/metrics, /debug/pprof, /logs)");
    }
    return "\"*\" " + String.join(" and ", wild) + ": " + String.join("; ", parts) + " " + where;
  }

  private static void addIfWild(List<String> wild, String field, List<String> values) {
    if (list(values).contains("*")) {
      wild.add(field);
    }
  }

  private static List<String> list(List<String> l) {
    return l == null ? List.of() : l;
  }
}
