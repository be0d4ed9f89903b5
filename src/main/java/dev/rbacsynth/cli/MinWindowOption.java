package dev.rbacsynth.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --min-window}, shared by the commands whose result depends on how long was observed. */
public final class MinWindowOption {

  @Option(
      names = "--min-window",
      paramLabel = "DURATION",
      defaultValue = "7d",
      converter = DurationConverter.class,
      description =
          "Warn when the audit events span less than this (7d, 12h, 1d12h; default: "
              + "${DEFAULT-VALUE}): unused findings and generated roles may then miss rare requests.")
  Duration minimum;
}
