package dev.rbacsynth.read;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns the {@code -f} arguments into an ordered list of sources: a file as is, {@code -} as
 * standard input, and a directory as its regular, non-hidden files, recursively (cloud exports are
 * deep trees), sorted by folder and, within a folder, rotated logs in time order (oldest first, the
 * live file last).
 */
public final class InputResolver {

  /** lumberjack (kube-apiserver) rotation: {@code audit-2026-01-02T03-04-05.678.log[.gz]}. */
  private static final Pattern TIMESTAMPED =
      Pattern.compile(
          "^(.*?)-(\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}(?:\\.\\d+)?)(\\.[^.]+)(\\.gz)?$");

  /** logrotate rotation: {@code audit.log.3[.gz]}, larger numbers are older. */
  private static final Pattern NUMBERED = Pattern.compile("^(.*?)\\.(\\d+)(\\.gz)?$");

  private final InputStream stdin;
  private final Predicate<Path> wanted;
  private final String wantedFiles;

  /** For audit logs: every file of a directory. */
  public InputResolver(InputStream stdin) {
    this(stdin, p -> true, "files");
  }

  private InputResolver(InputStream stdin, Predicate<Path> wanted, String wantedFiles) {
    this.stdin = stdin;
    this.wanted = wanted;
    this.wantedFiles = wantedFiles;
  }

  /**
   * For RBAC manifests: a directory contributes its {@code .yaml}, {@code .yml} and {@code .json}
   * files, like {@code kubectl apply -R -f DIR}; a file named on the command line is read whatever
   * its name.
   */
  public static InputResolver forManifests(InputStream stdin) {
    return new InputResolver(
        stdin,
        p -> {
          String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
          return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
        },
        ".yaml, .yml or .json files");
  }

  public List<InputSource> resolve(List<String> arguments) {
    List<InputSource> sources = new ArrayList<>();
    if (arguments.stream().filter("-"::equals).count() > 1) {
      throw new InputException(
          "standard input given twice (-): it can be read only once; give each other input as a"
              + " file");
    }
    for (String argument : arguments) {
      if (argument.equals("-")) {
        sources.add(new InputSource.StdinSource(stdin));
        continue;
      }
      Path path = Path.of(argument);
      if (Files.isDirectory(path)) {
        sources.addAll(directory(path));
      } else if (Files.isRegularFile(path)) {
        if (!Files.isReadable(path)) {
          throw new InputException(argument + ": permission denied");
        }
        sources.add(new InputSource.FileSource(path));
      } else if (Files.exists(path)) {
        throw new InputException(argument + ": not a regular file or directory");
      } else {
        throw new InputException(argument + ": no such file or directory");
      }
    }
    return onePerPath(sources);
  }

  private List<InputSource> directory(Path dir) {
    if (!Files.isReadable(dir)) {
      throw new InputException(dir + ": directory is not readable");
    }
    List<Path> files;
    try (Stream<Path> entries = Files.walk(dir)) {
      files =
          entries
              .filter(Files::isRegularFile)
              .filter(p -> !isHidden(dir.relativize(p)))
              .filter(wanted)
              .sorted(
                  Comparator.comparing((Path p) -> String.valueOf(dir.relativize(p).getParent()))
                      .thenComparing(InputResolver::rotationKey))
              .toList();
    } catch (IOException e) {
      throw new InputException(dir + ": cannot list directory: " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new InputException(dir + ": directory contains no " + wantedFiles);
    }
    return files.stream().<InputSource>map(InputSource.FileSource::new).toList();
  }

  /** The same file named twice (or reached through a directory too) is read once. */
  private static List<InputSource> onePerPath(List<InputSource> sources) {
    Set<Path> seen = new HashSet<>();
    List<InputSource> once = new ArrayList<>();
    for (InputSource source : sources) {
      if (source instanceof InputSource.FileSource file && !seen.add(realPath(file.path()))) {
        continue;
      }
      once.add(source);
    }
    return once;
  }

  private static Path realPath(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      return path.toAbsolutePath().normalize();
    }
  }

  private static boolean isHidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  /**
   * A sort key that puts rotated files of one log before the live file, oldest first. The key is
   * the base name, then the age rank: timestamped rotations by time, numbered rotations by
   * descending number, then the live file.
   */
  static String rotationKey(Path path) {
    String name = path.getFileName().toString();
    Matcher timestamped = TIMESTAMPED.matcher(name);
    if (timestamped.matches()) {
      return timestamped.group(1) + timestamped.group(3) + "\u0000" + "1" + timestamped.group(2);
    }
    Matcher numbered = NUMBERED.matcher(name);
    if (numbered.matches() && numbered.group(1).contains(".")) {
      long n =
          Long.parseLong(
              numbered.group(2).length() > 18 ? "999999999999999999" : numbered.group(2));
      return numbered.group(1) + "\u0000" + "2" + String.format("%019d", Long.MAX_VALUE - n);
    }
    String base = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
    return base + "\u0000" + "3";
  }
}
