package dev.rbacsynth.report;

import dev.rbacsynth.attributes.Outcome;
import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.authorize.BindingRef;
import dev.rbacsynth.authorize.Grant;
import dev.rbacsynth.kube.Subject;
import dev.rbacsynth.review.AppliedRule;
import dev.rbacsynth.review.Finding;
import dev.rbacsynth.review.Gate;
import dev.rbacsynth.review.Missing;
import dev.rbacsynth.review.ReviewFinding;
import dev.rbacsynth.review.Risk;
import dev.rbacsynth.review.SubjectReview;
import dev.rbacsynth.review.Suggestion;
import dev.rbacsynth.review.Unused;
import dev.rbacsynth.review.Used;
import dev.rbacsynth.write.JsonOutput;
import dev.rbacsynth.write.ManifestWriter;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JsonGenerator;

/**
 * The {@code -o json} report, a stable schema for scripts. Every key below is always present (empty
 * strings, empty lists and zeros rather than missing keys); lists are sorted as described; the same
 * input gives byte-identical output.
 *
 * <p>One subject ({@code --user}, {@code --serviceaccount}, {@code --group}) gives one
 * <b>report</b> object; {@code --all-subjects} gives {@code {"reports": [report, ...], "summary":
 * {"subjects", "subjectsSeen", "missing", "unused", "risky"}, "observation": {...}}} with the
 * reports sorted by subject kind, then name (the observation is also in each report).
 *
 * <pre>
 * report = {
 *   "subject":  {"kind": "User|ServiceAccount|Group", "name", "namespace" ("" unless ServiceAccount),
 *                "username" (as in audit logs: system:serviceaccount:NS:NAME for a service account)},
 *   "observation": {"from", "to" (RFC 3339: the first and last event time of the whole input, every
 *                   subject's, null when no event had a time), "seconds", "events" (audit events in
 *                   the input), "clusters": {name: {from, to, seconds, events}} (when known),
 *                   "minWindowSeconds" (--min-window), "warning" ("" unless the window is shorter)},
 *   "events": number of audit events of the subject, "distinctRequests": distinct authorization checks,
 *   "missing": [                          observed requests the existing RBAC does not allow, in request order
 *     {"verb", "apiGroup", "resource", "subresource", "namespace" ("" = cluster scope), "name",
 *      "nonResourceURL" (non-resource requests; the resource fields are then ""),
 *      "count", "firstSeen", "lastSeen" (RFC 3339, null when the events had no timestamp),
 *      "denied" (true when the log shows an RBAC denial), "deniedCount",
 *      "lastDenied" (RFC 3339: the last RBAC denial in the log; null when none),
 *      "transient" (true when it was allowed later, after the last denial: a start-up race, as in
 *                   generate's denied report), "allowedLater" (RFC 3339 of that allow; null unless transient),
 *      "outcomes": {"allowed", "denied", "rejectedAfterAuthorization", "undecided"} (counts),
 *      "implied" (why a check without an audit event of its own was needed; "" for a logged request)}],
 *   "unused": [                           rules that reach the subject with grants no request used in the
 *                                         observation window, by binding
 *     {"binding": {"kind", "namespace" ("" for a ClusterRoleBinding), "name"}, "role": {"kind", "name"},
 *      "matchedSubject" (the binding's subject that matched, worded as the apiserver does),
 *      "ruleIndex" (0-based index in the role's effective rules; aggregated ClusterRoles: after aggregation),
 *      "rule": {"apiGroups", "resources", "resourceNames", "nonResourceURLs", "verbs"},
 *      "status": "unused" (no grant used) | "partly-unused" | "partly-inert" (all it can give was used, some
 *                grants it cannot give) | "inert" (the binding can give none of it),
 *      "unusedVerbs", "unusedApiGroups", "unusedResources", "unusedResourceNames", "unusedNonResourceURLs"
 *         (values none of whose grants was used),
 *      "unusedGrants": [grant], "inertGrants": [grant + "why"],
 *      "narrowWildcards": [{"field", "wildcard", "usedAs"}] (a used wildcard and the concrete values used:
 *          the rule narrows to them), "grants" (number of atomic grants of the rule)}],
 *   "used": [                             rules that reach the subject and allowed observed requests
 *     {"binding", "role", "matchedSubject", "ruleIndex", "rule" (as above),
 *      "requests": [{"verb", "apiGroup", "resource", "subresource", "namespace", "name",
 *                    "nonResourceURL", "count", "firstSeen", "lastSeen", "sampleAuditID"}]}],
 *   "risky": [                            dangerous grants, used or not, by binding, rule, risk
 *     {"binding", "role", "matchedSubject", "ruleIndex", "rule" (as above),
 *      "risk": "wildcard" | "secrets-read-cluster-wide" | "escalate" | "bind" | "impersonate" | "pods-exec" |
 *              "pods-attach" | "nodes-proxy" | "workloads-in-kube-system" | "serviceaccount-token" |
 *              "csr-approval" | "signer-approve" | "empty-resource-name",
 *      "why" (one line)}],
 *   "suggested": {"manifests": [Kubernetes objects generate would write, rbac.authorization.k8s.io/v1],
 *                 "removed": [change], "added": [change]},
 *   "warnings": [string],
 *   "summary": {"missing", "unused" (rules), "unusedGrants", "inertRules", "wildcardRules" (rules with a
 *       wildcard used only in part), "risky"}
 * }
 * grant  = {"verb", "apiGroup", "resource" (resource[/subresource]), "resourceName" ("" = any),
 *           "nonResourceURL" ("" for a resource grant)}
 * change = {"source" (binding, role and rule, or the generated object and rule), "scope" ("" = cluster-wide, else
 *           the namespace), "inert" (removed grants that granted nothing anyway), "grants": [grant]}
 * </pre>
 */
public final class DiffJsonWriter {

  private DiffJsonWriter() {}

  public static String render(
      List<SubjectReview> reviews, boolean several, ObservationWindow window) {
    return render(reviews, several, window, null);
  }

  /**
   * With a gate, each finding's {@code gate} says what it does to the exit code: {@code fails},
   * {@code baselined}, {@code expired} (baselined, but its waiver has expired: it fails) or {@code
   * not-gated}.
   */
  public static String render(
      List<SubjectReview> reviews, boolean several, ObservationWindow window, Gate gate) {
    Object root;
    if (several) {
      Map<String, Object> all = new LinkedHashMap<>();
      all.put("observation", window.json());
      all.put("reports", reviews.stream().map(r -> report(r, window, gate)).toList());
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("subjects", reviews.size());
      summary.put("subjectsSeen", reviews.stream().filter(r -> r.events() > 0).count());
      for (Finding f : Finding.values()) {
        summary.put(f.label(), DiffSummary.total(reviews, f));
      }
      all.put("summary", summary);
      root = all;
    } else {
      root = report(reviews.get(0), window, gate);
    }
    return JsonOutput.write(root);
  }

  /**
   * The {@code --all-subjects} report written as the reviews come, byte for byte what {@link
   * #render} writes for the same reviews in the same order: a review is written and can be dropped,
   * and the summary is counted on the way (100 000 subjects do not fit in memory as one document).
   * {@link #add} each review in the order of the report, then {@link #finish}.
   */
  public static final class Streamed implements StreamedReport {
    private final Writer target;
    private final JsonGenerator out;
    private final ObservationWindow window;
    private final Gate gate;
    private final StreamedReport.Totals totals = new StreamedReport.Totals();

    public Streamed(Writer target, ObservationWindow window, Gate gate) {
      this.target = target;
      this.out = JsonOutput.generator(target);
      this.window = window;
      this.gate = gate;
      this.out.writeStartObject();
      this.out.writeName("observation");
      this.out.writePOJO(window.json());
      this.out.writeName("reports");
      this.out.writeStartArray();
    }

    @Override
    public void add(SubjectReview review) {
      out.writePOJO(report(review, window, gate));
      totals.add(review);
    }

    @Override
    public StreamedReport.Totals totals() {
      return totals;
    }

    /** Writes the summary and ends the document (and its line); flushes, does not close. */
    @Override
    public void finish() throws IOException {
      out.writeEndArray();
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("subjects", (int) totals.subjects());
      summary.put("subjectsSeen", totals.seen());
      for (Finding f : Finding.values()) {
        summary.put(f.label(), (int) totals.total(f));
      }
      out.writeName("summary");
      out.writePOJO(summary);
      out.writeEndObject();
      out.close();
      target.write("\n");
      target.flush();
    }
  }

  static Map<String, Object> report(SubjectReview r, ObservationWindow window, Gate gate) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("subject", subject(r.subject()));
    m.put("observation", window.json());
    m.put("events", r.events());
    m.put("distinctRequests", r.distinctRequests());
    List<ReviewFinding> findings = ReviewFinding.of(r);
    m.put("missing", items(findings, Finding.MISSING, r, gate));
    m.put("unused", items(findings, Finding.UNUSED, r, gate));
    List<Map<String, Object>> used = new ArrayList<>();
    for (Used u : r.used()) {
      Map<String, Object> entry = ruleRef(u.rule());
      entry.put(
          "requests", u.requests().stream().map(q -> Evidence.json(q, r.usage().get(q))).toList());
      used.add(entry);
    }
    m.put("used", used);
    m.put("risky", items(findings, Finding.RISKY, r, gate));
    Map<String, Object> suggested = new LinkedHashMap<>();
    suggested.put("manifests", ManifestWriter.documents(r.suggestion().objects()));
    suggested.put(
        "removed", r.suggestion().removed().stream().map(DiffJsonWriter::change).toList());
    suggested.put("added", r.suggestion().added().stream().map(DiffJsonWriter::change).toList());
    m.put("suggested", suggested);
    m.put("warnings", r.warnings());
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("missing", r.missing().size());
    summary.put("unused", r.unused().size());
    summary.put("unusedGrants", r.unusedGrants());
    summary.put("inertRules", r.inertRules());
    summary.put("wildcardRules", r.wildcardRules());
    summary.put("risky", r.risky().size());
    m.put("summary", summary);
    return m;
  }

  private static List<Map<String, Object>> items(
      List<ReviewFinding> findings, Finding kind, SubjectReview r, Gate gate) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (ReviewFinding f : findings) {
      if (f.kind() != kind) {
        continue;
      }
      Map<String, Object> m =
          switch (kind) {
            case MISSING -> missing(f.missing());
            case UNUSED -> unused(f.unused());
            case RISKY -> risky(f.risk());
          };
      m.put("ruleId", f.ruleId());
      m.put("fingerprint", f.fingerprint());
      m.put("display", FindingText.message(f, r));
      m.put(
          "gate",
          gate == null
              ? "not-gated"
              : gate.verdict(f).name().toLowerCase(Locale.ROOT).replace('_', '-'));
      out.add(m);
    }
    return out;
  }

  private static Map<String, Object> subject(Subject s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", s.kind());
    m.put("name", s instanceof Subject.ServiceAccount sa ? sa.name() : s.auditName());
    m.put("namespace", s instanceof Subject.ServiceAccount sa ? sa.namespace() : "");
    m.put("username", s instanceof Subject.Group ? "" : s.auditName());
    return m;
  }

  private static Map<String, Object> missing(Missing x) {
    RequestAttributes r = x.request();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("request", r.describe());
    m.putAll(RequestJson.of(r));
    m.put("count", x.count());
    m.put("firstSeen", x.first() == null ? null : x.first().toString());
    m.put("lastSeen", x.last() == null ? null : x.last().toString());
    m.put("denied", x.denied());
    m.put("deniedCount", x.deniedCount());
    m.put("lastDenied", x.lastDenied() == null ? null : x.lastDenied().toString());
    m.put("transient", x.transientDenial());
    m.put("allowedLater", x.allowedLater() == null ? null : x.allowedLater().toString());
    Map<String, Object> outcomes = new LinkedHashMap<>();
    outcomes.put("allowed", x.outcomes().getOrDefault(Outcome.ALLOWED, 0L));
    outcomes.put("denied", x.outcomes().getOrDefault(Outcome.RBAC_DENIED, 0L));
    outcomes.put(
        "rejectedAfterAuthorization",
        x.outcomes().getOrDefault(Outcome.REJECTED_AFTER_AUTHORIZATION, 0L));
    outcomes.put("undecided", x.outcomes().getOrDefault(Outcome.UNDECIDED, 0L));
    m.put("outcomes", outcomes);
    m.put("implied", x.implication());
    return m;
  }

  private static Map<String, Object> unused(Unused u) {
    Map<String, Object> m = ruleRef(u.rule());
    m.put("status", u.status().label());
    m.put("unusedVerbs", u.verbs());
    m.put("unusedApiGroups", u.apiGroups());
    m.put("unusedResources", u.resources());
    m.put("unusedResourceNames", u.resourceNames());
    m.put("unusedNonResourceURLs", u.nonResourceURLs());
    m.put("unusedGrants", u.unusedGrants().stream().map(DiffJsonWriter::grant).toList());
    List<Map<String, Object>> inert = new ArrayList<>();
    for (Unused.InertGrant i : u.inert()) {
      Map<String, Object> g = grant(i.grant());
      g.put("why", i.why());
      inert.add(g);
    }
    m.put("inertGrants", inert);
    List<Map<String, Object>> narrowed = new ArrayList<>();
    for (Unused.Narrowing n : u.narrowed()) {
      Map<String, Object> w = new LinkedHashMap<>();
      w.put("field", n.field());
      w.put("wildcard", n.wildcard());
      w.put("usedAs", n.used());
      narrowed.add(w);
    }
    m.put("narrowWildcards", narrowed);
    m.put("grants", u.grants());
    return m;
  }

  private static Map<String, Object> risky(Risk k) {
    Map<String, Object> m = ruleRef(k.rule());
    m.put("risk", k.risk());
    m.put("why", k.why());
    return m;
  }

  private static Map<String, Object> ruleRef(AppliedRule a) {
    BindingRef b = a.binding();
    Map<String, Object> m = new LinkedHashMap<>();
    Map<String, Object> binding = new LinkedHashMap<>();
    binding.put("kind", b.kind());
    binding.put("namespace", b.namespace());
    binding.put("name", b.name());
    m.put("binding", binding);
    Map<String, Object> role = new LinkedHashMap<>();
    role.put("kind", b.roleKind());
    role.put("name", b.roleName());
    m.put("role", role);
    m.put("matchedSubject", a.matchedSubject());
    m.put("ruleIndex", a.ruleIndex());
    m.put("rule", rule(a.rule()));
    return m;
  }

  static Map<String, Object> rule(PolicyRule r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("apiGroups", list(r.getApiGroups()));
    m.put("resources", list(r.getResources()));
    m.put("resourceNames", list(r.getResourceNames()));
    m.put("nonResourceURLs", list(r.getNonResourceURLs()));
    m.put("verbs", list(r.getVerbs()));
    return m;
  }

  private static Map<String, Object> grant(Grant g) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("verb", g.verb());
    m.put("apiGroup", g.apiGroup());
    m.put("resource", g.resource());
    m.put("resourceName", g.resourceName());
    m.put("nonResourceURL", g.nonResourceURL());
    return m;
  }

  private static Map<String, Object> change(Suggestion.Change c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source", c.source());
    m.put("scope", c.scope());
    m.put("inert", c.inert());
    m.put("grants", c.grants().stream().map(DiffJsonWriter::grant).toList());
    return m;
  }

  private static List<String> list(List<String> l) {
    return l == null ? List.of() : l;
  }
}
