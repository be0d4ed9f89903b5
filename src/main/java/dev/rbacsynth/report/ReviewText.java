package dev.rbacsynth.report;

import dev.rbacsynth.attributes.Outcome;
import dev.rbacsynth.authorize.BindingRef;
import dev.rbacsynth.authorize.Grant;
import dev.rbacsynth.review.Missing;
import dev.rbacsynth.review.SubjectReview;
import dev.rbacsynth.review.Unused;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The wording shared by the reports and can-i. */
public final class ReviewText {
  private ReviewText() {}

  /** {@code ClusterRoleBinding crb} or {@code RoleBinding ns/rb}. */
  static String binding(BindingRef b) {
    return b.kind() + " " + (b.namespace().isEmpty() ? "" : b.namespace() + "/") + b.name();
  }

  static String role(BindingRef b) {
    return b.roleKind() + " " + b.roleName();
  }

  static String scope(String namespace) {
    return namespace.isEmpty() ? "cluster-wide" : "in " + namespace;
  }

  /** {@code apiGroups=[""] resources=[pods] verbs=[get,list]}, empty fields left out. */
  public static String rule(PolicyRule r) {
    List<String> parts = new ArrayList<>();
    field(parts, "apiGroups", r.getApiGroups(), true);
    field(parts, "resources", r.getResources(), false);
    field(parts, "resourceNames", r.getResourceNames(), true);
    field(parts, "nonResourceURLs", r.getNonResourceURLs(), false);
    field(parts, "verbs", r.getVerbs(), false);
    return String.join(" ", parts);
  }

  private static void field(
      List<String> parts, String name, List<String> values, boolean quoteEmpty) {
    if (values == null || values.isEmpty()) {
      return;
    }
    List<String> shown = values.stream().map(v -> quoteEmpty && v.isEmpty() ? "\"\"" : v).toList();
    parts.add(name + "=[" + String.join(",", shown) + "]");
  }

  /**
   * Grants as few readable lines: targets with the same verbs share a line, {@code get, list pods,
   * services}; the order is the grants' own.
   */
  static List<String> grants(Collection<Grant> grants) {
    Map<String, Set<String>> verbsOf = new LinkedHashMap<>();
    for (Grant g : grants) {
      verbsOf.computeIfAbsent(g.target(), t -> new LinkedHashSet<>()).add(g.verb());
    }
    Map<List<String>, List<String>> targetsOf = new LinkedHashMap<>();
    verbsOf.forEach(
        (target, verbs) ->
            targetsOf.computeIfAbsent(List.copyOf(verbs), v -> new ArrayList<>()).add(target));
    List<String> out = new ArrayList<>();
    targetsOf.forEach(
        (verbs, targets) -> out.add(String.join(", ", verbs) + " " + String.join(", ", targets)));
    return out;
  }

  /** What the log says happened: {@code allowed}, {@code denied}, or counts per outcome. */
  static String outcomes(Missing m) {
    Map<Outcome, Long> o = m.outcomes();
    if (o.size() == 1) {
      return label(o.keySet().iterator().next());
    }
    List<String> parts = new ArrayList<>();
    for (Outcome outcome : Outcome.values()) {
      if (o.containsKey(outcome)) {
        parts.add(o.get(outcome) + " " + label(outcome));
      }
    }
    return String.join(", ", parts);
  }

  /**
   * The NOTE of a missing request: {@code implied} (a check without an audit event of its own),
   * {@code transient: allowed at T} (denied, then allowed after the last denial), both, or "".
   */
  static String missingNote(Missing m) {
    List<String> parts = new ArrayList<>();
    if (!m.implication().isEmpty()) {
      parts.add("implied");
    }
    if (m.transientDenial()) {
      parts.add("transient: allowed at " + m.allowedLater());
    }
    return String.join("; ", parts);
  }

  /** {@code ; 3 of them transient (...)} after the MISSING count, "" when none is. */
  static String transientCount(List<Missing> missing) {
    long n = missing.stream().filter(Missing::transientDenial).count();
    return n == 0
        ? ""
        : "; "
            + n
            + " of them transient (denied, then allowed later in the log: a start-up race, not a"
            + " lasting lack)";
  }

  static String label(Outcome o) {
    return switch (o) {
      case ALLOWED -> "allowed";
      case RBAC_DENIED -> "denied";
      case REJECTED_AFTER_AUTHORIZATION -> "rejected after authorization";
      case UNDECIDED -> "undecided";
    };
  }

  /** The unused parts of a rule in one line. */
  static String unused(Unused u) {
    List<String> parts = new ArrayList<>();
    if (u.status() == Unused.Status.UNUSED) {
      parts.add("the whole rule: " + String.join("; ", grants(u.unusedGrants())));
    } else if (u.status() == Unused.Status.PARTLY_UNUSED) {
      list(parts, "verbs", u.verbs());
      list(parts, "apiGroups", u.apiGroups().stream().map(g -> g.isEmpty() ? "\"\"" : g).toList());
      list(parts, "resources", u.resources());
      list(parts, "resourceNames", u.resourceNames());
      list(parts, "nonResourceURLs", u.nonResourceURLs());
      if (!u.otherUnused().isEmpty()) {
        parts.add("also " + String.join("; ", grants(u.otherUnused())));
      }
      u.narrowed().forEach(n -> parts.add(narrowing(n)));
    }
    parts.addAll(inert(u.inert()));
    return String.join("; ", parts);
  }

  /** {@code narrow verbs * to [get,list] (the rest of * was not used)}. */
  static String narrowing(Unused.Narrowing n) {
    return "narrow "
        + n.field()
        + " "
        + n.wildcard()
        + " to ["
        + String.join(",", n.used().stream().map(v -> v.isEmpty() ? "\"\"" : v).toList())
        + "] (the rest of "
        + n.wildcard()
        + " was not used)";
  }

  /**
   * Inert grants grouped by the reason they are inert: {@code inert: get nodes (nodes is
   * cluster-scoped; ...)}.
   */
  static List<String> inert(List<Unused.InertGrant> inert) {
    Map<String, List<Grant>> byWhy = new LinkedHashMap<>();
    inert.forEach(i -> byWhy.computeIfAbsent(i.why(), w -> new ArrayList<>()).add(i.grant()));
    List<String> out = new ArrayList<>();
    byWhy.forEach(
        (why, grants) -> out.add("inert: " + String.join("; ", grants(grants)) + " (" + why + ")"));
    return out;
  }

  private static void list(List<String> parts, String name, List<String> values) {
    if (!values.isEmpty()) {
      parts.add(name + " " + String.join(", ", values));
    }
  }

  static String time(Instant t) {
    return t == null ? "-" : t.toString();
  }

  /** One line per subject: {@code 24 events, 6 distinct requests, 1 binding}. */
  static String activity(SubjectReview r) {
    return r.events()
        + " event(s), "
        + r.distinctRequests()
        + " distinct request(s); "
        + r.bindings()
        + " binding(s) with "
        + r.applied().size()
        + " rule(s) reach it";
  }

  static String totals(SubjectReview r) {
    return "missing "
        + r.missing().size()
        + ", unused "
        + r.unused().size()
        + " rule(s) ("
        + r.unusedGrants()
        + " grant(s), "
        + r.inertRules()
        + " with inert grants), risky "
        + r.risky().size();
  }
}
