package dev.rbacsynth.report;

import dev.rbacsynth.review.Missing;
import dev.rbacsynth.review.Risk;
import dev.rbacsynth.review.SubjectReview;
import dev.rbacsynth.review.Unused;
import dev.rbacsynth.review.Used;
import dev.rbacsynth.write.ManifestWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code -o markdown} report, for a pull-request comment: a heading and a one-line verdict per
 * subject, tables of missing, unused and risky grants, and the suggested RBAC as a {@code diff}
 * block of removed and added grants plus its manifests in a collapsed section.
 */
public final class DiffMarkdownWriter {
  private DiffMarkdownWriter() {}

  /**
   * The largest report {@link #render(List, ObservationWindow)} writes: a GitHub comment holds 65
   * 536 characters, and the rest is room for what a CI step adds around it.
   */
  public static final int COMMENT_LIMIT = 60_000;

  /** Room kept for the truncation note. */
  private static final int NOTE_ROOM = 700;

  /** The report, cut to {@link #COMMENT_LIMIT} characters. */
  public static String render(List<SubjectReview> reviews, ObservationWindow window) {
    return render(reviews, window, COMMENT_LIMIT);
  }

  /**
   * The report, at most {@code limit} characters long (0: no limit). With several subjects: a
   * summary table of every subject, then each subject's section collapsed in {@code <details>};
   * sections that do not fit are left out and counted. A single subject's report is cut at a line.
   */
  public static String render(List<SubjectReview> reviews, ObservationWindow window, int limit) {
    if (reviews.size() <= 1) {
      StringBuilder out = new StringBuilder();
      for (SubjectReview r : reviews) {
        subject(out, r, "#", window, true);
      }
      return limit > 0 && out.length() > limit ? cut(out.toString(), limit) : out.toString();
    }
    int budget = limit > 0 ? limit - NOTE_ROOM : Integer.MAX_VALUE;
    StringBuilder out = new StringBuilder("# rbac-synth diff\n\n");
    observation(out, window);
    out.append(escape(DiffSummary.line(reviews))).append("\n\n");
    out.append(
        "| subject | events | missing | unused rules (grants) | risky |\n"
            + "|---|---:|---:|---:|---:|\n");
    int rows = 0;
    for (SubjectReview r : reviews) {
      String row =
          "| "
              + code(r.subject().describe())
              + " | "
              + r.events()
              + " | "
              + r.missing().size()
              + " | "
              + r.unused().size()
              + " ("
              + r.unusedGrants()
              + ") | "
              + r.risky().size()
              + " |\n";
      if (out.length() + row.length() > budget / 2) {
        break;
      }
      out.append(row);
      rows++;
    }
    if (rows < reviews.size()) {
      out.append("| ... ")
          .append(reviews.size() - rows)
          .append(" more subject(s), in the totals above | | | | |\n");
    }
    out.append('\n');
    // sections with findings are kept first: a subject with nothing missing, unused or risky is
    // left out before one with findings; the kept sections stay in the subjects' order
    List<String> sections = new ArrayList<>();
    boolean[] kept = new boolean[reviews.size()];
    int room = budget - out.length();
    for (SubjectReview r : reviews) {
      StringBuilder section = new StringBuilder();
      section
          .append("<details><summary>")
          .append(code(r.subject().describe()))
          .append(": ")
          .append(r.missing().size())
          .append(" missing, ")
          .append(r.unused().size())
          .append(" unused rule(s), ")
          .append(r.risky().size())
          .append(" risky</summary>\n\n");
      subject(section, r, "##", window, false);
      section.append("</details>\n\n");
      sections.add(section.toString());
    }
    boolean allFindingsKept = true;
    for (int pass = 0; pass < 2 && allFindingsKept; pass++) {
      for (int i = 0; i < reviews.size(); i++) {
        if (hasFindings(reviews.get(i)) == (pass == 0) && sections.get(i).length() <= room) {
          kept[i] = true;
          room -= sections.get(i).length();
        } else if (pass == 0 && hasFindings(reviews.get(i))) {
          allFindingsKept = false;
        }
      }
    }
    List<SubjectReview> left = new ArrayList<>();
    for (int i = 0; i < reviews.size(); i++) {
      if (kept[i]) {
        out.append(sections.get(i));
      } else {
        left.add(reviews.get(i));
      }
    }
    if (!left.isEmpty()) {
      out.append("**Truncated:** the sections of ")
          .append(left.size())
          .append(" of ")
          .append(reviews.size())
          .append(" subject(s) are left out, subjects without findings first; their totals: ")
          .append(escape(DiffSummary.line(left).replace("TOTAL: ", "")))
          .append(".")
          .append(truncated(limit));
      // name the ones left out while there is room
      StringBuilder names = new StringBuilder("Left out:");
      int named = 0;
      for (SubjectReview r : left) {
        String name = " " + code(r.subject().describe()) + (named + 1 < left.size() ? "," : "");
        if (limit > 0 && out.length() + names.length() + name.length() + 40 > limit) {
          names.append(" and ").append(left.size() - named).append(" more");
          break;
        }
        names.append(name);
        named++;
      }
      out.append('\n').append(names).append(".\n");
    }
    return out.toString();
  }

  private static boolean hasFindings(SubjectReview r) {
    return !r.missing().isEmpty() || !r.unused().isEmpty() || !r.risky().isEmpty();
  }

  /** The note's end, naming the limit in force ({@code --markdown-limit}). */
  private static String truncated(int limit) {
    return " The report is kept under "
        + String.format(Locale.ROOT, "%,d", limit).replace(',', ' ')
        + " characters (`--markdown-limit`); the table above counts"
        + " everything. The whole report: `--markdown-limit 0`, or `--report json=FILE`.\n";
  }

  /**
   * A single report cut at the last line that fits, with any code block and {@code <details>} left
   * open closed again, and a note.
   */
  private static String cut(String full, int limit) {
    String kept = full.substring(0, full.lastIndexOf('\n', limit - NOTE_ROOM) + 1);
    // no heading left without its content: drop trailing headings and blank lines
    while (true) {
      String trimmed = kept.stripTrailing();
      int start = trimmed.lastIndexOf('\n') + 1;
      if (trimmed.isEmpty() || !trimmed.substring(start).startsWith("#")) {
        kept = trimmed.isEmpty() ? kept : trimmed + "\n";
        break;
      }
      kept = trimmed.substring(0, start);
    }
    StringBuilder out = new StringBuilder(kept);
    long fences = kept.lines().filter(l -> l.startsWith("```")).count();
    if (fences % 2 == 1) {
      out.append("```\n");
    }
    int open = count(kept, "<details>") - count(kept, "</details>");
    for (int i = 0; i < open; i++) {
      out.append("\n</details>\n");
    }
    long cutLines = full.lines().count() - kept.lines().count();
    out.append("\n**Truncated:** the last ")
        .append(cutLines)
        .append(" line(s) of ")
        .append(full.length())
        .append(" characters are left out.")
        .append(
            truncated(limit)
                .replace(
                    "the table above counts everything", "the summary above counts everything"));
    return out.toString();
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
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
      String transients = ReviewText.transientCount(r.missing());
      if (!transients.isEmpty()) {
        out.append(r.missing().size())
            .append(" request(s)")
            .append(escape(transients))
            .append(".\n\n");
      }
      out.append(
          "| request | count | first seen | last seen | in log | last denied | note |\n"
              + "|---|---:|---|---|---|---|---|\n");
      for (Missing m : r.missing()) {
        row(
            out,
            code(m.request().describe()),
            Long.toString(m.count()),
            ReviewText.time(m.first()),
            ReviewText.time(m.last()),
            escape(ReviewText.outcomes(m)),
            ReviewText.time(m.lastDenied()),
            escape(noteCell(m)));
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
  /** The implication in full, and whether the denial was transient. */
  private static String noteCell(Missing m) {
    if (!m.transientDenial()) {
      return m.implication();
    }
    String t = "transient: allowed at " + m.allowedLater();
    return m.implication().isEmpty() ? t : m.implication() + "; " + t;
  }

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
