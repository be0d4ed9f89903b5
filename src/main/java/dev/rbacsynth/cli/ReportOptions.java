package dev.rbacsynth.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code diff}'s report formats: one on stdout (or --output-file) and any number of --report files.
 */
public final class ReportOptions {

  /** Every format diff writes. */
  enum Format {
    text,
    json,
    markdown,
    sarif,
    github
  }

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "text",
      description =
          "Format on stdout: text (aligned tables), json (stable schema for scripts), markdown (a "
              + "pull-request comment), sarif (SARIF 2.1.0 for GitHub code scanning and other "
              + "SARIF viewers, with the file and line of each finding) or github (GitHub Actions "
              + "annotations). Default: ${DEFAULT-VALUE}.")
  Format output;

  @Option(
      names = "--report",
      paramLabel = "FORMAT=PATH",
      description =
          "Also write the report in FORMAT (one of the -o formats) to PATH, replaced atomically. "
              + "Repeatable: --report sarif=rbac.sarif --report markdown=comment.md "
              + "--report json=diff.json.")
  List<String> reports = new ArrayList<>();

  @Option(
      names = "--markdown-limit",
      paramLabel = "CHARS",
      defaultValue = "60000",
      description =
          "Largest Markdown report, in characters, so that it fits a pull-request comment (GitHub"
              + " holds 65536): with several subjects, a summary table and each subject collapsed"
              + " in <details>, sections that do not fit left out and counted. 0: no limit."
              + " Default: ${DEFAULT-VALUE}.")
  int markdownLimit;

  /**
   * The --report files by path, in the order given.
   *
   * @throws IllegalArgumentException for a value that is not FORMAT=PATH with a known format
   */
  Map<Path, Format> reportFiles() {
    if (markdownLimit != 0 && markdownLimit < 2000) {
      throw new IllegalArgumentException(
          "--markdown-limit must be 0 (no limit) or at least 2000 characters, got "
              + markdownLimit);
    }
    Map<Path, Format> out = new LinkedHashMap<>();
    for (String r : reports) {
      int eq = r.indexOf('=');
      if (eq <= 0 || eq == r.length() - 1) {
        throw new IllegalArgumentException(
            "--report must be FORMAT=PATH (FORMAT one of " + names() + "), got \"" + r + "\"");
      }
      Format format;
      try {
        format = Format.valueOf(r.substring(0, eq));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "--report format must be one of " + names() + ", got \"" + r.substring(0, eq) + "\"");
      }
      Path path = Path.of(r.substring(eq + 1));
      if (out.put(path, format) != null) {
        throw new IllegalArgumentException("--report names " + path + " twice");
      }
    }
    return out;
  }

  private static String names() {
    return String.join(", ", Arrays.stream(Format.values()).map(Enum::name).toList());
  }
}
