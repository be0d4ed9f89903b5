package dev.rbacsynth.report;

import dev.rbacsynth.review.Missing;
import dev.rbacsynth.review.Risk;
import dev.rbacsynth.review.SubjectReview;
import dev.rbacsynth.review.Unused;
import dev.rbacsynth.review.Used;
import dev.rbacsynth.write.ManifestWriter;
import java.util.List;

/**
 * The {@code -o markdown} report, for a pull-request comment: a heading and a one-line verdict per
 * subject, tables of missing, unused and risky grants, and the suggested RBAC as a {@code diff}
 * block of removed and added grants plus its manifests in a collapsed section.
 */
public final class DiffMarkdownWriter {
  private DiffMarkdownWriter() {}

  public static String render(List<SubjectReview> reviews, ObservationWindow window) {
    StringBuilder out = new StringBuilder();
    if (reviews.size() > 1) {
      out.append("# rbac-synth diff\n\n");
      observation(out, window);
      out.append(DiffSummary.line(reviews)).append("\n\n");
    }
    for (SubjectReview r : reviews) {
      subject(out, r, reviews.size() > 1 ? "##" : "#", window, reviews.size() == 1);
    }
    return out.toString();
  }

  private static void observation(StringBuilder out, ObservationWindow window) {
    out.append("Observed ").append(escape(window.header())).append(".\n\n");
    if (window.isShort()) {
      out.append("> **Warning:** ").append(escape(window.warning())).append("\n\n");
    }
  }

  /**
   * @param header state the window under the heading (a single subject's report; with several, the
   *     document's header does)
   */
  private static void subject(
      StringBuilder out, SubjectReview r, String h, ObservationWindow window, boolean header) {
    out.append(h)
        .append(" rbac-synth diff: ")
        .append(escape(r.subject().describe()))
        .append("\n\n");
    if (header) {
      observation(out, window);
    }
    out.append(ReviewText.activity(r))
        .append(". **")
        .append(r.missing().size())
        .append(" missing**, **")
        .append(r.unused().size())
        .append(" unused rule(s)** (")
        .append(r.unusedGrants())
        .append(" grants), **")
        .append(r.risky().size())
        .append(" risky**.\n\n");
    for (String w : r.warnings()) {
      out.append("> **Warning:** ").append(escape(w)).append("\n\n");
    }
    String sub = h + "#";
    out.append(sub).append(" Missing\n\n");
    if (r.missing().isEmpty()) {
      out.append("None: the existing RBAC allows every observed request.\n\n");
    } else {
      out.append(
          "| request | count | first seen | last seen | in log | note |\n|---|---:|---|---|---|---|\n");
      for (Missing m : r.missing()) {
        row(
            out,
            code(m.request().describe()),
            Long.toString(m.count()),
            ReviewText.time(m.first()),
            ReviewText.time(m.last()),
            escape(ReviewText.outcomes(m)),
            escape(m.implication()));
      }
      out.append('\n');
    }
    out.append(sub).append(" Unused: not used in ").append(window.phrase()).append("\n\n");
    if (r.unused().isEmpty()) {
      out.append("None: every grant that reaches the subject was used.\n\n");
    } else {
      out.append("| binding | role | rule | status | unused |\n|---|---|---:|---|---|\n");
      for (Unused u : r.unused()) {
        row(
            out,
            code(ReviewText.binding(u.rule().binding())),
            code(ReviewText.role(u.rule().binding())),
            Integer.toString(u.rule().ruleIndex()),
            u.status().label(),
            escape(ReviewText.unused(u)));
      }
      out.append('\n');
    }
    out.append(sub).append(" Used\n\n");
    if (r.used().isEmpty()) {
      out.append("None: no rule that reaches the subject allowed an observed request.\n\n");
    } else {
      out.append(
          "| rule | verb | resource | namespace | name | count | first seen | last seen | sample audit"
              + " ID |\n|---|---|---|---|---|---:|---|---|---|\n");
      for (Used u : r.used()) {
        for (String[] cells : Evidence.rows(u.requests(), r.usage())) {
          out.append("| ").append(code(u.rule().source())).append(" |");
          for (String c : cells) {
            out.append(' ').append(escape(c)).append(" |");
          }
          out.append('\n');
        }
      }
      out.append('\n');
    }
    out.append(sub).append(" Risky\n\n");
    if (r.risky().isEmpty()) {
      out.append("None.\n\n");
    } else {
      out.append("| binding | role | rule | risk | why |\n|---|---|---:|---|---|\n");
      for (Risk k : r.risky()) {
        row(
            out,
            code(ReviewText.binding(k.rule().binding())),
            code(ReviewText.role(k.rule().binding())),
            Integer.toString(k.rule().ruleIndex()),
            "**" + k.risk() + "**",
            escape(k.why()));
      }
      out.append('\n');
    }
    if (r.suggestion().kept()) {
      out.append(sub)
          .append(" Suggested\n\nNo change: ")
          .append(escape(r.suggestion().notes().get(0)))
          .append("\n\n");
      return;
    }
    out.append(sub)
        .append(" Suggested\n\nWhat `rbac-synth generate` would write instead:\n\n```diff\n");
    for (String line : DiffSummary.changeLines(r.suggestion())) {
      out.append(line).append('\n');
    }
    out.append("```\n\n");
    if (!r.suggestion().objects().roles().isEmpty()
        || !r.suggestion().objects().clusterRoles().isEmpty()) {
      out.append("<details><summary>Suggested manifests</summary>\n\n```yaml\n")
          .append(ManifestWriter.render(r.suggestion().objects(), ManifestWriter.Format.YAML))
          .append("```\n\n</details>\n\n");
    }
  }

  /** One table row of cells that are already Markdown. */
  private static void row(StringBuilder out, String... cells) {
    out.append('|');
    for (String c : cells) {
      out.append(' ').append(c).append(" |");
    }
    out.append('\n');
  }

  private static String code(String s) {
    return Markdown.code(s);
  }

  private static String escape(String s) {
    return Markdown.escape(s);
  }
}
