package dev.rbacsynth.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Where audit events come from, shared by the commands that read audit logs. */
public final class InputOptions {

  @Option(
      names = {"-f", "--filename"},
      paramLabel = "FILE",
      description =
          "Audit log to read: a file (gzip detected by content), a directory (its files, rotated logs "
              + "oldest first), or - for stdin. Repeatable. JSON lines, EventList, JSON arrays, pretty-printed JSON "
              + "and YAML; audit.k8s.io/v1, v1beta1, v1alpha1.")
  List<String> files = new ArrayList<>();

  @Option(
      names = "--usage",
      paramLabel = "LEDGER",
      description =
          "A usage ledger written by collect (.gz read too). Repeatable; together with or instead of -f.")
  List<Path> ledgers = new ArrayList<>();

  @Option(
      names = "--since",
      paramLabel = "TIME",
      description =
          "Only requests received at or after TIME: RFC 3339 (2026-12-01T00:00:00Z) or a duration before "
              + "now (30d, 12h, 90m). A ledger is windowed by whole UTC days.")
  String since;

  @Option(
      names = "--until",
      paramLabel = "TIME",
      description = "Only requests received before TIME (same forms as --since).")
  String until;

  @Option(
      names = "--strict",
      description =
          "Stop at the first unusable record (exit 2) instead of counting and skipping it.")
  boolean strict;

  @Option(
      names = {"-q", "--quiet"},
      description = "No progress and no summary on stderr (warnings still shown).")
  boolean quiet;

  /**
   * Refuses {@code -} when standard input is closed ({@code <&-}): the JVM would then have reused
   * descriptor 0 for one of its own files and {@code -} would read that. The launcher replaces a
   * closed descriptor 0 with /dev/null and says so with {@code -Drbac-synth.stdin=closed}; run
   * without it, descriptor 0 naming a file of the JDK or of the class path (Linux) tells the same.
   */
  static void checkStdin(CommandLine cli, List<String> paths) {
    if (paths.contains("-") && stdinClosed()) {
      throw new ParameterException(
          cli, "standard input is closed: - has nothing to read (give the log with -f FILE)");
    }
  }

  static boolean stdinClosed() {
    if ("closed".equals(System.getProperty("rbac-synth.stdin"))) {
      return true;
    }
    try {
      Path fd0 = Files.readSymbolicLink(Path.of("/proc/self/fd/0"));
      String name = fd0.toString();
      if (name.startsWith(System.getProperty("java.home") + "/")) {
        return true;
      }
      for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator, -1)) {
        if (!entry.isEmpty() && fd0.equals(Path.of(entry).toAbsolutePath().normalize())) {
          return true;
        }
      }
      return false;
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }
}
