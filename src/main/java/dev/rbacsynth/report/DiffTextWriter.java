package dev.rbacsynth.report;

import dev.rbacsynth.kube.RbacObjects;
import dev.rbacsynth.review.AppliedRule;
import dev.rbacsynth.review.Missing;
import dev.rbacsynth.review.Risk;
import dev.rbacsynth.review.SubjectReview;
import dev.rbacsynth.review.Suggestion;
import dev.rbacsynth.review.Unused;
import dev.rbacsynth.review.Used;
import dev.rbacsynth.write.ManifestWriter;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code -o text} report: per subject, kubectl-style tables of missing, unused and risky
 * grants, then the suggested RBAC as a before/after with the removed ({@code -}) and added ({@code
 * +}) grants and its manifests.
 */
public final class DiffTextWriter {
  private DiffTextWriter() {}

  public static String render(List<SubjectReview> reviews, ObservationWindow window) {
    StringBuilder out = new StringBuilder();
    out.append("OBSERVED: ").append(window.header()).append('\n');
    if (window.isShort()) {
      out.append("WARNING: ").append(window.warning()).append('\n');
    }
    for (SubjectReview r : reviews) {
      out.append('\n');
      subject(out, r, window);
    }
    if (reviews.size() > 1) {
      out.append('\n').append(DiffSummary.line(reviews)).append('\n');
    }
    return out.toString();
  }

  /** {@link #render} written review by review (see {@link StreamedReport}). */
  public static final class Streamed implements StreamedReport {
    private final Writer out;
    private final ObservationWindow window;
    private final StreamedReport.Totals totals = new StreamedReport.Totals();

    public Streamed(Writer out, ObservationWindow window) throws IOException {
      this.out = out;
      this.window = window;
      StringBuilder header = new StringBuilder();
      header.append("OBSERVED: ").append(window.header()).append('\n');
      if (window.isShort()) {
        header.append("WARNING: ").append(window.warning()).append('\n');
      }
      out.write(header.toString());
    }

    @Override
    public void add(SubjectReview review) throws IOException {
      StringBuilder section = new StringBuilder("\n");
      subject(section, review, window);
      out.write(section.toString());
      totals.add(review);
    }

    @Override
    public void finish() throws IOException {
      if (totals.subjects() > 1) {
        out.write("\n" + totals.line() + "\n");
      }
      out.flush();
    }

    @Override
    public StreamedReport.Totals totals() {
      return totals;
    }
  }

  private static void subject(StringBuilder out, SubjectReview r, ObservationWindow window) {
    out.append("SUBJECT: ")
        .append(r.subject().describe())
        .append(" (")
        .append(ReviewText.activity(r))
        .append(")\n");
    r.warnings().forEach(w -> out.append("WARNING: ").append(w).append('\n'));
    out.append('\n');
    missing(out, r);
    unused(out, r, window);
    used(out, r, window);
    risky(out, r);
    suggested(out, r);
    out.append("SUMMARY: ").append(ReviewText.totals(r)).append('\n');
  }

  private static void missing(StringBuilder out, SubjectReview r) {
    if (r.missing().isEmpty()) {
      out.append("MISSING: none: the existing RBAC allows every observed request\n\n");
      return;
    }
    out.append("MISSING: ")
        .append(r.missing().size())
        .append(" observed request(s) the existing RBAC does not allow")
        .append(ReviewText.transientCount(r.missing()))
        .append('\n');
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "REQUEST", "COUNT", "FIRST SEEN", "LAST SEEN", "IN LOG", "LAST DENIED", "NOTE"
        });
    for (Missing m : r.missing()) {
      rows.add(
          new String[] {
            m.request().describe(),
            Long.toString(m.count()),
            ReviewText.time(m.first()),
            ReviewText.time(m.last()),
            ReviewText.outcomes(m),
            ReviewText.time(m.lastDenied()),
            ReviewText.missingNote(m)
          });
    }
    out.append(TextTable.render(rows)).append('\n');
  }

  private static void unused(StringBuilder out, SubjectReview r, ObservationWindow window) {
    if (r.unused().isEmpty()) {
      out.append(
          r.applied().isEmpty()
              ? "UNUSED: none: no grant of the given RBAC reaches the subject\n\n"
              : r.events() == 0
                  ? "UNUSED: not observed: no audit event of the subject, no usage evidence\n\n"
                  : "UNUSED: none: every grant that reaches the subject was used in "
                      + window.phrase()
                      + "\n\n");
      return;
    }
    out.append("UNUSED: ")
        .append(r.unused().size())
        .append(" rule(s) with ")
        .append(r.unusedGrants())
        .append(" grant(s) not used in ")
        .append(window.phrase());
    if (r.wildcardRules() > 0) {
      out.append("; ").append(r.wildcardRules()).append(" with a wildcard used only in part");
    }
    out.append('\n');
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"BINDING", "ROLE", "RULE", "STATUS", "UNUSED"});
    for (Unused u : r.unused()) {
      rows.add(
          new String[] {
            ReviewText.binding(u.rule().binding()),
            ReviewText.role(u.rule().binding()),
            Integer.toString(u.rule().ruleIndex()),
            u.status().label(),
            ReviewText.unused(u)
          });
    }
    out.append(TextTable.render(rows)).append('\n');
  }

  private static void used(StringBuilder out, SubjectReview r, ObservationWindow window) {
    if (r.used().isEmpty()) {
      out.append("USED: none: no rule that reaches the subject allowed a request in ")
          .append(window.phrase())
          .append("\n\n");
      return;
    }
    out.append("USED: ")
        .append(r.used().size())
        .append(" rule(s) allowed the observed requests below\n");
    for (Used u : r.used()) {
      out.append(u.rule().source())
          .append(": ")
          .append(ReviewText.rule(u.rule().rule()))
          .append('\n');
      List<String[]> rows = new ArrayList<>();
      rows.add(Evidence.HEADER);
      rows.addAll(Evidence.rows(u.requests(), r.usage()));
      TextTable.render(rows).lines().forEach(line -> out.append("  ").append(line).append('\n'));
    }
    out.append('\n');
  }

  private static void risky(StringBuilder out, SubjectReview r) {
    if (r.risky().isEmpty()) {
      out.append("RISKY: none\n\n");
      return;
    }
    out.append("RISKY: ").append(r.risky().size()).append(" dangerous grant(s), used or not\n");
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"BINDING", "ROLE", "RULE", "RISK", "WHY"});
    for (Risk k : r.risky()) {
      rows.add(
          new String[] {
            ReviewText.binding(k.rule().binding()),
            ReviewText.role(k.rule().binding()),
            Integer.toString(k.rule().ruleIndex()),
            k.risk(),
            k.why()
          });
    }
    out.append(TextTable.render(rows)).append('\n');
  }

  private static void suggested(StringBuilder out, SubjectReview r) {
    Suggestion s = r.suggestion();
    if (s.kept()) {
      out.append("SUGGESTED: no change: ").append(s.notes().get(0)).append("\n\n");
      return;
    }
    out.append("SUGGESTED: what `rbac-synth generate` would write for ")
        .append(r.subject().describe())
        .append('\n');
    out.append("Before (grants of the given RBAC that reach the subject):\n");
    before(out, r);
    out.append("After:\n");
    after(out, s.objects());
    out.append("Changes:\n");
    for (String line : DiffSummary.changeLines(s)) {
      out.append("  ").append(line).append('\n');
    }
    if (!s.objects().roles().isEmpty() || !s.objects().clusterRoles().isEmpty()) {
      out.append("Manifests:\n---\n")
          .append(ManifestWriter.render(s.objects(), ManifestWriter.Format.YAML));
    }
    out.append('\n');
  }

  static void before(StringBuilder out, SubjectReview r) {
    if (r.applied().isEmpty()) {
      out.append("  (nothing)\n");
      return;
    }
    String current = "";
    for (AppliedRule a : r.applied()) {
      String head = ReviewText.binding(a.binding()) + " -> " + ReviewText.role(a.binding());
      if (!head.equals(current)) {
        out.append("  ").append(head).append('\n');
        current = head;
      }
      out.append("    rules[")
          .append(a.ruleIndex())
          .append("] ")
          .append(ReviewText.rule(a.rule()))
          .append('\n');
    }
  }

  static void after(StringBuilder out, RbacObjects objects) {
    if (objects.roles().isEmpty() && objects.clusterRoles().isEmpty()) {
      out.append("  (nothing beyond the defaults)\n");
      return;
    }
    objects
        .clusterRoles()
        .forEach(
            c ->
                rules(
                    out,
                    "ClusterRole " + c.getMetadata().getName() + " (ClusterRoleBinding)",
                    c.getRules()));
    objects
        .roles()
        .forEach(
            role ->
                rules(
                    out,
                    "Role "
                        + role.getMetadata().getNamespace()
                        + "/"
                        + role.getMetadata().getName()
                        + " (RoleBinding)",
                    role.getRules()));
  }

  private static void rules(StringBuilder out, String head, List<PolicyRule> rules) {
    out.append("  ").append(head).append('\n');
    for (int i = 0; i < rules.size(); i++) {
      out.append("    rules[")
          .append(i)
          .append("] ")
          .append(ReviewText.rule(rules.get(i)))
          .append('\n');
    }
  }
}
