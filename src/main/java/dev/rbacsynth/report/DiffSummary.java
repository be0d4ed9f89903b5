package dev.rbacsynth.report;

import dev.rbacsynth.review.Finding;
import dev.rbacsynth.review.SubjectReview;
import dev.rbacsynth.review.Suggestion;
import java.util.ArrayList;
import java.util.List;

/** Totals over reviews, and the before/after change lines, worded once for every format. */
public final class DiffSummary {
  private DiffSummary() {}

  static int total(List<SubjectReview> reviews, Finding finding) {
    return reviews.stream().mapToInt(r -> r.count(finding)).sum();
  }

  public static String line(List<SubjectReview> reviews) {
    return line(
        reviews.size(),
        reviews.stream().filter(r -> r.events() > 0).count(),
        total(reviews, Finding.MISSING),
        total(reviews, Finding.UNUSED),
        total(reviews, Finding.RISKY));
  }

  /** {@link #line(List)} from totals counted as the reviews went by (a streamed report). */
  public static String line(long subjects, long withEvents, long missing, long unused, long risky) {
    return "TOTAL: "
        + subjects
        + " subject(s) ("
        + withEvents
        + " seen in the audit log); missing "
        + missing
        + ", unused "
        + unused
        + " rule(s), risky "
        + risky;
  }

  /**
   * {@code - list, watch pods cluster-wide (ClusterRoleBinding x -> ClusterRole y rules[0])} for
   * each removed grant group and {@code + ...} for each added one; a single line when nothing
   * changes.
   */
  public static List<String> changeLines(Suggestion s) {
    List<String> out = new ArrayList<>();
    for (Suggestion.Change c : s.removed()) {
      for (String g : ReviewText.grants(c.grants())) {
        out.add(
            "- "
                + g
                + " "
                + ReviewText.scope(c.scope())
                + (c.inert() ? ", inert" : "")
                + "   ("
                + c.source()
                + ")");
      }
    }
    for (Suggestion.Change c : s.added()) {
      for (String g : ReviewText.grants(c.grants())) {
        out.add("+ " + g + " " + ReviewText.scope(c.scope()) + "   (" + c.source() + ")");
      }
    }
    if (out.isEmpty()) {
      out.add("(no change: the given RBAC grants exactly what generate would)");
    }
    return out;
  }
}
