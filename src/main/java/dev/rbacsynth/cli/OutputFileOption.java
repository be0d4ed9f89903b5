package dev.rbacsynth.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --output-file}, shared by the commands that write a result. */
public final class OutputFileOption {

  @Option(
      names = "--output-file",
      paramLabel = "PATH",
      description = "Write the result to this file (replaced atomically) instead of stdout.")
  Path path;
}
