package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Cli;
import dev.rbacsynth.HkermaAuditLog;
import dev.rbacsynth.Reports;
import dev.rbacsynth.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Markdown report fits a pull-request comment (issue 14: at most 60 000 characters, GitHub
 * holds 65 536): every subject in a summary table, each subject's section collapsed in {@code
 * <details>}, the sections that do not fit left out and counted; the real cluster RBAC against the
 * real log is 488 KB uncut.
 */
class DiffMarkdownLimitTest {
  private static final int LIMIT = 60_000;

  private static List<String> args(String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "diff",
                "-f",
                HkermaAuditLog.jsonl().toString(),
                "-q",
                "--rbac",
                TestData.BOOTSTRAP,
                "--rbac",
                TestData.GATEKEEPER,
                "--rbac",
                TestData.FLANNEL));
    args.addAll(List.of(more));
    return args;
  }

  private static Cli.Result run(List<String> args) {
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void everySubjectOfTheRealClusterFitsOneComment(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("comment.md");
    Cli.Result r = run(args("--all-subjects", "-o", "markdown", "--report", "markdown=" + file));
    assertThat(r.exit()).isZero();
    String md = r.out();
    assertThat(md.length()).isLessThanOrEqualTo(LIMIT).isGreaterThan(LIMIT - 10_000);
    assertThat(Files.readString(file)).as("--report markdown is the same comment").isEqualTo(md);
    int subjects =
        Reports.list(Reports.json(run(args("--all-subjects", "-o", "json")).out()).get("reports"))
            .size();
    assertThat(subjects).isEqualTo(53);
    // the summary table: one row per subject, before the first section
    String table = md.substring(0, md.indexOf("<details>"));
    assertThat(table).contains("| subject | events | missing | unused rules (grants) | risky |");
    assertThat(table.lines().filter(l -> l.startsWith("| `"))).hasSize(subjects);
    assertThat(table)
        .contains(
            "| `serviceaccount gatekeeper-system/gatekeeper-admin` | 366 | 0 | 16 (69) | 8 |",
            "| `group system:masters` | 0 | 0 | 0 (0) | 2 |");
    // each section collapsed, the rest counted and named
    int sections = (int) md.lines().filter(l -> l.startsWith("<details><summary>`")).count();
    Matcher note =
        Pattern.compile("\\*\\*Truncated:\\*\\* the sections of (\\d+) of (\\d+) subject\\(s\\)")
            .matcher(md);
    assertThat(note.find()).isTrue();
    assertThat(Integer.parseInt(note.group(2))).isEqualTo(subjects);
    assertThat(sections + Integer.parseInt(note.group(1))).isEqualTo(subjects);
    assertThat(sections).isGreaterThan(5);
    assertThat(md)
        .contains(
            "<details><summary>`serviceaccount kube-flannel/flannel`: 0 missing, 3 unused rule(s),"
                + " 0 risky</summary>\n\n## rbac-synth diff: serviceaccount kube-flannel/flannel")
        .contains("The whole report: `--markdown-limit 0`, or `--report json=FILE`.")
        .contains("\nLeft out: `");
    assertThat(count(md, "<details>")).isEqualTo(count(md, "</details>"));
    // uncut: every section
    String full = run(args("--all-subjects", "-o", "markdown", "--markdown-limit", "0")).out();
    assertThat(full.length()).isGreaterThan(400_000);
    assertThat(full).doesNotContain("Truncated");
    assertThat(full.lines().filter(l -> l.startsWith("<details><summary>`"))).hasSize(subjects);
  }

  @Test
  void oneLargeSubjectIsCutAtALineWithItsBlocksClosed() {
    // kubernetes-admin: 439 distinct requests, none allowed by the bootstrap bindings
    Cli.Result r = run(args("--user", "kubernetes-admin", "-o", "markdown", "--fail-on", "none"));
    assertThat(r.exit()).isZero();
    assertThat(r.out().length()).isLessThanOrEqualTo(LIMIT);
    assertThat(r.out())
        .startsWith("# rbac-synth diff: user kubernetes-admin")
        .containsPattern(
            "\n\\*\\*Truncated:\\*\\* the last \\d+ line\\(s\\) of 1\\d{5} characters are left out");
    assertThat(r.out().lines().filter(l -> l.startsWith("```")).count() % 2).isZero();
    String full =
        run(args(
                "--user",
                "kubernetes-admin",
                "-o",
                "markdown",
                "--fail-on",
                "none",
                "--markdown-limit",
                "0"))
            .out();
    assertThat(full.length()).isGreaterThan(100_000);
    assertThat(full).startsWith(r.out().substring(0, r.out().indexOf("**Truncated")).strip());
  }

  @Test
  void aSmallReportIsUntouchedAndTheLimitIsChecked() {
    Cli.Result flannel = run(args("--serviceaccount", "kube-flannel:flannel", "-o", "markdown"));
    assertThat(flannel.out()).doesNotContain("Truncated").doesNotContain("<details><summary>`");
    Cli.Result tiny =
        run(args("--serviceaccount", "kube-flannel:flannel", "--markdown-limit", "100"));
    assertThat(tiny.exit()).isEqualTo(2);
    assertThat(tiny.err())
        .startsWith(
            "error: --markdown-limit must be 0 (no limit) or at least 2000 characters, got 100");
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  private static List<String> demo(String... more) {
    List<String> args =
        new ArrayList<>(
            List.of("diff", "-f", "testdata/demo.log", "-q", "--rbac", TestData.BOOTSTRAP));
    args.addAll(List.of(more));
    return args;
  }

  /**
   * User review: the note named 60 000 whatever the limit, nested its totals in parentheses, and
   * left sections out alphabetically, dropping subjects with risky grants while keeping sections
   * with no findings.
   */
  @Test
  void theCapNamesItsLimitAndKeepsTheSectionsWithFindings() {
    Cli.Result r = run(demo("--all-subjects", "-o", "markdown", "--markdown-limit", "6000"));
    assertThat(r.exit()).isZero();
    String md = r.out();
    assertThat(md.length()).isLessThanOrEqualTo(6000);
    String note = md.substring(md.indexOf("**Truncated:**"));
    assertThat(note).contains("under 6 000 characters").doesNotContain("60 000");
    assertThat(note.lines().findFirst().orElseThrow())
        .as("no parentheses nested in the note")
        .doesNotContainPattern("\\([^)]*\\(");
    List<String> kept = new ArrayList<>();
    Matcher m = Pattern.compile("<summary>(.*)</summary>").matcher(md);
    while (m.find()) {
      kept.add(m.group(1));
    }
    assertThat(kept)
        .as("a subject with risky grants is kept before one with no findings")
        .anyMatch(s -> s.contains("certificate-controller") && s.endsWith(" 2 risky"))
        .noneMatch(s -> s.endsWith(": 0 missing, 0 unused rule(s), 0 risky"));
  }

  /** User review: a single subject's cut left an empty "## Used" heading before the note. */
  @Test
  void aCutSubjectEndsWithNoEmptyHeading() {
    for (int limit = 2000; limit < 4000; limit += 50) {
      String md =
          run(demo("--user", "bob", "-o", "markdown", "--markdown-limit", "" + limit)).out();
      int note = md.indexOf("**Truncated:**");
      assertThat(note).as("limit %d", limit).isPositive();
      String before = md.substring(0, note).stripTrailing();
      String last = before.substring(before.lastIndexOf('\n') + 1);
      assertThat(last).as("limit %d: last line before the note", limit).doesNotStartWith("#");
      assertThat(md.substring(note))
          .contains("under " + String.format("%,d", limit).replace(',', ' '));
    }
  }
}
