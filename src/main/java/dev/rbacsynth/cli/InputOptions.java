package dev.rbacsynth.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

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
  List<java.nio.file.Path> ledgers = new ArrayList<>();

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
}
