package dev.rbacsynth.review;

import dev.rbacsynth.authorize.RuleMatcher;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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

  /** Every risk identifier, in the order the checks run. */
  public static final List<String> KINDS =
      List.of(
          "wildcard",
          "secrets-read-cluster-wide",
          "escalate",
          "bind",
          "impersonate",
          "pods-exec",
          "pods-attach",
          "nodes-proxy",
          "workloads-in-kube-system",
          "serviceaccount-token",
          "csr-approval",
          "signer-approve",
          "empty-resource-name");

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

  public static List<Risk> find(List<AppliedRule> applied) {
    List<Risk> out = new ArrayList<>();
    for (AppliedRule r : applied) {
      out.addAll(of(r));
    }
    return out;
  }

  static List<Risk> of(AppliedRule r) {
    PolicyRule rule = r.rule();
    List<Risk> out = new ArrayList<>();
    String scope = r.clusterWide() ? "in every namespace" : "in namespace " + r.namespace();
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
    if (r.clusterWide()) {
      check(
          out,
          r,
          "secrets-read-cluster-wide",
          List.of("get", "list", "watch"),
          List.of(new Target("", "secrets", false)),
          " in every namespace: every service-account token and credential" + names);
    }
    for (String verb : List.of("escalate", "bind")) {
      check(
          out,
          r,
          verb,
          List.of(verb),
          // bind is checked in the new binding's namespace, escalate on a ClusterRole cluster-wide
          List.of(
              new Target(RBAC, "roles", false),
              new Target(RBAC, "clusterroles", verb.equals("escalate"))),
          scope(
                  r,
                  verb.equals("escalate")
                      ? ": may write roles with permissions it does not hold"
                      : ": may bind roles it does not hold")
              + names);
    }
    Set<String> impersonateVerbs = new LinkedHashSet<>(List.of("impersonate"));
    list(rule.getVerbs()).stream()
        .filter(v -> v.startsWith("impersonate:"))
        .forEach(impersonateVerbs::add);
    check(
        out,
        r,
        "impersonate",
        List.copyOf(impersonateVerbs),
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
        ": may act as other identities, up to cluster administrators" + names);
    check(
        out,
        r,
        "pods-exec",
        List.of("create", "get"),
        List.of(new Target("", "pods/exec", false)),
        " " + scope + ": runs commands in containers and reads their secrets and tokens" + names);
    check(
        out,
        r,
        "pods-attach",
        List.of("create", "get"),
        List.of(new Target("", "pods/attach", false)),
        " " + scope + ": attaches to running containers" + names);
    check(
        out,
        r,
        "nodes-proxy",
        List.of("get", "create", "update", "patch", "delete"),
        List.of(new Target("", "nodes/proxy", true)),
        ": the kubelet API of every node, which allows exec into any pod on it" + names);
    if (r.clusterWide() || r.namespace().equals(KUBE_SYSTEM)) {
      check(
          out,
          r,
          "workloads-in-kube-system",
          List.of("create"),
          List.of(
              new Target("", "pods", false), new Target("", "replicationcontrollers", false),
              new Target("apps", "deployments", false), new Target("apps", "daemonsets", false),
              new Target("apps", "statefulsets", false), new Target("apps", "replicasets", false),
              new Target("batch", "jobs", false), new Target("batch", "cronjobs", false)),
          " in kube-system: runs code there as any kube-system service account, controllers' included"
              + names);
    }
    check(
        out,
        r,
        "serviceaccount-token",
        List.of("create"),
        List.of(new Target("", "serviceaccounts/token", false)),
        " " + scope + ": mints tokens for those service accounts" + names);
    check(
        out,
        r,
        "csr-approval",
        List.of("update"),
        List.of(new Target(CERTS, "certificatesigningrequests/approval", true)),
        ": approves certificate signing requests (with a signer's approve, issues credentials)"
            + names);
    check(
        out,
        r,
        "signer-approve",
        List.of("approve"),
        List.of(new Target(CERTS, "signers", true)),
        ": approves CSRs for the signer, i.e. issues client certificates it accepts" + names);
    if (list(rule.getResourceNames()).contains("")) {
      out.add(
          new Risk(
              r,
              "empty-resource-name",
              "resourceNames [\"\"] also matches requests without a name: create, list, watch, deletecollection"));
    }
    return out;
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
