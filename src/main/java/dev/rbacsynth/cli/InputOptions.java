package dev.rbacsynth.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Where audit events come from, shared by the commands that read audit logs. */
public final class InputOptions {

  @Option(
      names = {"-f", "--filename"},
      required = true,
      paramLabel = "FILE",
      description =
          "Audit log to read: a file (gzip detected by content), a directory (its files, rotated logs "
              + "oldest first), or - for stdin. Repeatable. JSON lines, EventList, JSON arrays, pretty-printed JSON "
              + "and YAML; audit.k8s.io/v1, v1beta1, v1alpha1.")
  List<String> files = new ArrayList<>();

  @Option(
      names = "--strict",
      description =
          "Stop at the first unusable record (exit 2) instead of counting and skipping it.")
  boolean strict;

  @Option(
      names = {"-q", "--quiet"},
      description = "No progress and no summary on stderr (warnings still shown).")
  boolean quiet;
}
