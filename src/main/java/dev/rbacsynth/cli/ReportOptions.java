package dev.rbacsynth.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code diff}'s outputs: one format on stdout (or --output-file) and any number of --report files. */
public final class ReportOptions {

  /** Every format diff writes. */
  static final List<String> FORMATS = List.of("text", "json", "markdown", "sarif", "github");

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "text",
      description =
          "Format on stdout: text (aligned tables), json (stable schema for scripts), markdown (a "
              + "pull-request comment), sarif (SARIF 2.1.0 for GitHub code scanning and other "
              + "SARIF viewers, with file and line of each finding) or github (GitHub Actions "
              + "annotations). Default: ${DEFAULT-VALUE}.")
  String output;

  @Option(
      names = "--output-file",
      paramLabel = "PATH",
      description = "Write the -o report to this file (atomically) instead of stdout.")
  Path outputFile;

  @Option(
      names = "--report",
      paramLabel = "FORMAT=PATH",
      description =
          "Also write the report in FORMAT to PATH (atomically); repeatable, so one run gives "
              + "e.g. --report sarif=rbac.sarif --report markdown=comment.md --report json=diff.json. "
              + "FORMAT is one of the -o formats.")
  List<String> reports = new ArrayList<>();

  /** The -o format, checked. */
  String format() {
    return checked(output, "--output");
  }

  /** The --report files by path, in the order given; each format checked. */
  Map<Path, String> reportFiles() {
    Map<Path, String> out = new LinkedHashMap<>();
    for (String r : reports) {
      int eq = r.indexOf('=');
      if (eq <= 0 || eq == r.length() - 1) {
        throw new IllegalArgumentException(
            "--report must be FORMAT=PATH (FORMAT one of " + String.join(", ", FORMATS) + "), got \"" + r + "\"");
      }
      Path path = Path.of(r.substring(eq + 1));
      if (out.containsKey(path)) {
        throw new IllegalArgumentException("--report names " + path + " twice");
      }
      out.put(path, checked(r.substring(0, eq), "--report"));
    }
    return out;
  }

  private static String checked(String format, String option) {
    String f = format.equals("md") ? "markdown" : format;
    if (!FORMATS.contains(f)) {
      throw new IllegalArgumentException(
          option + " format must be one of " + String.join(", ", FORMATS) + ", got \"" + format + "\"");
    }
    return f;
  }
}
