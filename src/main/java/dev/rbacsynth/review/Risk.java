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
      Function<AppliedRule, String> consequence) {}

  /** The dangerous grants, in the order they are reported (after a wildcard). */
  private static final List<Check> CHECKS =
      List.of(
          new Check(
              "secrets-read-cluster-wide",
              AppliedRule::clusterWide,
              rule -> List.of("get", "list", "watch"),
              List.of(new Target("", "secrets", false)),
              r ->
                  names(r).isEmpty()
                      ? " in every namespace: every service-account token and credential"
                      : named(r)
                          + " in every namespace: whatever secret of such a name any namespace"
                          + " holds, not every secret"),
          // escalate on a ClusterRole is checked cluster-wide, bind in the new binding's namespace
          new Check(
              "escalate",
              r -> true,
              rule -> List.of("escalate"),
              List.of(new Target(RBAC, "roles", false), new Target(RBAC, "clusterroles", true)),
              r ->
                  named(r)
                      + scope(
                          r,
                          names(r).isEmpty()
                              ? ": may write roles with permissions it does not hold"
                              : ": may write those roles with permissions it does not hold")),
          new Check(
              "bind",
              r -> true,
              rule -> List.of("bind"),
              List.of(new Target(RBAC, "roles", false), new Target(RBAC, "clusterroles", false)),
              r ->
                  named(r)
                      + scope(
                          r,
                          names(r).isEmpty()
                              ? ": may bind roles it does not hold"
                              : ": may bind those roles without holding them")),
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
              r ->
                  names(r).isEmpty()
                      ? ": may act as other identities, up to cluster administrators"
                      : named(r) + ": may act as those identities and gain their rights"),
          new Check(
              "pods-exec",
              r -> true,
              rule -> List.of("create", "get"),
              List.of(new Target("", "pods/exec", false)),
              r ->
                  named(r)
                      + " "
                      + where(r)
                      + ": runs commands in containers and reads their secrets and tokens"),
          new Check(
              "pods-attach",
              r -> true,
              rule -> List.of("create", "get"),
              List.of(new Target("", "pods/attach", false)),
              r -> named(r) + " " + where(r) + ": attaches to running containers"),
          new Check(
              "nodes-proxy",
              r -> true,
              rule -> List.of("get", "create", "update", "patch", "delete"),
              List.of(new Target("", "nodes/proxy", true)),
              r ->
                  names(r).isEmpty()
                      ? ": the kubelet API of every node, which allows exec into any pod on it"
                      : named(r)
                          + ": the kubelet API of those nodes, which allows exec into any pod on"
                          + " them"),
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
                  (names(r).isEmpty()
                          ? ""
                          : named(r)
                              + " (a create names its object only through server-side apply or"
                              + " create-on-update)")
                      + " in kube-system: runs code there as any kube-system service account,"
                      + " controllers' included"),
          new Check(
              "serviceaccount-token",
              r -> true,
              rule -> List.of("create"),
              List.of(new Target("", "serviceaccounts/token", false)),
              r -> named(r) + " " + where(r) + ": mints tokens for those service accounts"),
          new Check(
              "csr-approval",
              r -> true,
              rule -> List.of("update"),
              List.of(new Target(CERTS, "certificatesigningrequests/approval", true)),
              r ->
                  named(r)
                      + ": approves certificate signing requests (with a signer's approve, issues"
                      + " credentials)"),
          new Check(
              "signer-approve",
              r -> true,
              rule -> List.of("approve"),
              List.of(new Target(CERTS, "signers", true)),
              r ->
                  named(r)
                      + (names(r).isEmpty()
                          ? ": approves CSRs for every signer, i.e. issues certificates any signer"
                              + " signs"
                          : ": approves CSRs for those signers, i.e. issues certificates they"
                              + " sign")));

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
    for (Check c : CHECKS) {
      if (c.when().test(r)) {
        check(out, r, c.id(), c.verbs().apply(rule), c.targets(), c.consequence().apply(r));
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

  /** The rule's resourceNames (empty: any name). */
  private static List<String> names(AppliedRule r) {
    return list(r.rule().getResourceNames());
  }

  /** {@code " named a, b only"}, or "" when the rule names no object. */
  private static String named(AppliedRule r) {
    List<String> names = names(r);
    return names.isEmpty()
        ? ""
        : " named "
            + String.join(", ", names.stream().map(n -> n.isEmpty() ? "\"\"" : n).toList())
            + " only";
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

  /**
   * Why a wildcard is risky, worded exactly: a rule restricted by resourceNames covers the objects
   * of those names only (never a create of a new object or a deletecollection, which carry no
   * name), and the special verbs are named only where the rule's resources can take them.
   */
  private static String wildcardWhy(List<String> wild, boolean full, AppliedRule r) {
    boolean named = !names(r).isEmpty() && !wild.contains("nonResourceURLs");
    String where =
        named
            ? (r.clusterWide()
                ? "in any namespace or cluster-scoped"
                : "in namespace " + r.namespace())
            : r.clusterWide() ? "in the whole cluster" : "in namespace " + r.namespace();
    String objects =
        named
            ? named(r).substring(1)
                + " (requests that name an object: get, update, patch, delete, and list or watch"
                + " of one name; no create of a new object, no deletecollection)"
            : "";
    if (full) {
      return named
          ? "\"*\" apiGroups, resources and verbs, on objects "
              + objects
              + ": every verb on any resource's objects of those names "
              + where
          : "\"*\" apiGroups, resources and verbs: full control of every resource "
              + where
              + ", including secrets, RBAC and workloads";
    }
    List<String> parts = new ArrayList<>();
    if (wild.contains("verbs")) {
      List<String> special = specialVerbs(r);
      parts.add(
          "every verb (including "
              + and(special)
              + ")"
              + (named ? " on the objects " + objects : ""));
    } else if (named) {
      parts.add("objects " + objects);
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

  /**
   * Delete, and the verbs beyond the usual ones that the rule grants on resources that take them:
   * escalate and bind on roles and clusterroles, impersonate on users, groups, service accounts and
   * the like, approve on signers.
   */
  private static List<String> specialVerbs(AppliedRule r) {
    List<String> out = new ArrayList<>(List.of("delete"));
    if (grantsOn(r, RBAC, "roles") || grantsOn(r, RBAC, "clusterroles")) {
      out.add("escalate");
      out.add("bind");
    }
    if (grantsOn(r, "", "users")
        || grantsOn(r, "", "groups")
        || grantsOn(r, "", "serviceaccounts")
        || grantsOn(r, AUTHN, "users")
        || grantsOn(r, AUTHN, "groups")
        || grantsOn(r, AUTHN, "serviceaccounts")
        || grantsOn(r, AUTHN, "uids")
        || grantsOn(r, AUTHN, "userextras")) {
      out.add("impersonate");
    }
    if (grantsOn(r, CERTS, "signers")) {
      out.add("approve");
    }
    return out;
  }

  private static boolean grantsOn(AppliedRule r, String group, String resource) {
    return RuleMatcher.apiGroupMatches(r.rule(), group)
        && RuleMatcher.resourceMatches(r.rule(), resource, "");
  }

  /** {@code a}, {@code a and b}, {@code a, b and c}. */
  private static String and(List<String> values) {
    return values.size() == 1
        ? values.get(0)
        : String.join(", ", values.subList(0, values.size() - 1))
            + " and "
            + values.get(values.size() - 1);
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
