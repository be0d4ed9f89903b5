package dev.rbacsynth.cli;

import dev.rbacsynth.write.OutputTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --output-file}, shared by the commands that write a result. */
public final class OutputFileOption {

  @Option(
      names = "--output-file",
      paramLabel = "PATH",
      description =
          "Write the result to this file instead of stdout: replaced atomically, a symbolic link's "
              + "target updated, a FIFO or device written directly; a new file gets the umask's "
              + "permissions. Refused (exit 2) when it is one of the inputs or another output.")
  Path path;

  /**
   * Refuses a run whose outputs collide: an output that is (through links, or as a hard link) one
   * of the inputs or another output. FIFOs and devices ({@code /dev/null}, {@code /dev/stdout}) may
   * be named more than once. Each map goes from the option name to its paths; "-" is stdin.
   */
  static void checkDistinct(
      CommandLine cli, Map<String, List<String>> inputs, Map<String, Path> outputs) {
    List<Map.Entry<String, Path>> named = new ArrayList<>();
    outputs.forEach((option, p) -> named.add(new AbstractMap.SimpleEntry<>(option, p)));
    checkDistinct(cli, inputs, named);
  }

  /**
   * The same, for outputs that one option may name several times ({@code diff --report}): each
   * entry is an option and one of its paths (null when not given).
   */
  static void checkDistinct(
      CommandLine cli, Map<String, List<String>> inputs, List<Map.Entry<String, Path>> outputs) {
    List<String[]> seen = new ArrayList<>(); // {option, path, resolved}
    inputs.forEach(
        (option, paths) -> {
          for (String p : paths) {
            if (!p.equals("-")) {
              seen.add(new String[] {option, p});
            }
          }
        });
    int inputCount = seen.size();
    outputs.forEach(
        entry -> {
          String option = entry.getKey();
          Path p = entry.getValue();
          if (p != null && p.toString().equals("-")) {
            // "-" reads standard input for -f; as an output it would be a file named "-"
            throw new ParameterException(
                cli,
                option
                    + " -: give a file name"
                    + (option.equals("--output-file")
                        ? "; /dev/stdout writes to standard output"
                        : "; standard output carries the main result"));
          }
          if (p != null) {
            checkParent(cli, option, p);
            seen.add(new String[] {option, p.toString()});
          }
        });
    for (int i = inputCount; i < seen.size(); i++) {
      Path out = Path.of(seen.get(i)[1]);
      if (!OutputTarget.isRegularOrNew(out)) {
        continue;
      }
      for (int j = 0; j < i; j++) {
        Path other = Path.of(seen.get(j)[1]);
        if (same(out, other)) {
          throw new ParameterException(
              cli,
              named(seen.get(i)[0], out)
                  + " is the same file as "
                  + named(seen.get(j)[0], other)
                  + (j < inputCount
                      ? ": writing it would overwrite an input"
                      : ": one output would overwrite the other"));
        }
      }
    }
  }

  /**
   * Refuses, before anything is read, an output file whose directory does not exist: a run over a
   * large log must not end in "cannot write".
   */
  static void checkParent(CommandLine cli, String option, Path file) {
    Path parent = file.toAbsolutePath().normalize().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new ParameterException(
          cli,
          option
              + " "
              + file
              + ": "
              + (Files.exists(parent) ? "not a directory: " : "no such directory: ")
              + parent);
    }
  }

  /**
   * Refuses an output directory that is a file, or whose parent does not exist (the directory
   * itself is made when missing, like {@code mkdir DIR}).
   */
  static void checkDirectory(CommandLine cli, String option, Path dir) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new ParameterException(cli, option + " " + dir + ": not a directory");
    }
    if (!Files.isDirectory(dir)) {
      checkParent(cli, option, dir);
    }
  }

  /** {@code --output-file a.json}, or {@code --report json=a.json} for an option ending in "=". */
  private static String named(String option, Path p) {
    return option + (option.endsWith("=") ? "" : " ") + p;
  }

  private static boolean same(Path a, Path b) {
    try {
      if (OutputTarget.resolve(a).equals(OutputTarget.resolve(b))) {
        return true;
      }
      return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }
}
