package dev.rbacsynth.review;

import dev.rbacsynth.read.InputException;
import dev.rbacsynth.read.InputSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The {@code --rbac} arguments as manifest sources: a file as is (any name), {@code -} as standard
 * input, a directory as its {@code .yaml}, {@code .yml} and {@code .json} files, recursively, in
 * path order (hidden files and directories skipped), like {@code kubectl apply -R -f DIR}.
 */
public final class ManifestFiles {
  private ManifestFiles() {}

  public static List<InputSource> resolve(List<String> arguments, InputStream stdin) {
    List<InputSource> sources = new ArrayList<>();
    for (String argument : arguments) {
      if (argument.equals("-")) {
        sources.add(new InputSource.StdinSource(stdin));
        continue;
      }
      Path path = Path.of(argument);
      if (Files.isDirectory(path)) {
        List<InputSource> found = directory(path);
        if (found.isEmpty()) {
          throw new InputException(argument + ": directory contains no .yaml, .yml or .json files");
        }
        sources.addAll(found);
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
    return sources;
  }

  private static List<InputSource> directory(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> p.equals(dir) || !isHidden(dir.relativize(p)))
          .filter(Files::isRegularFile)
          .filter(ManifestFiles::isManifest)
          .sorted()
          .<InputSource>map(InputSource.FileSource::new)
          .toList();
    } catch (IOException | UncheckedIOException e) {
      throw new InputException(dir + ": cannot list directory: " + e.getMessage(), e);
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

  private static boolean isManifest(Path p) {
    String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
  }
}
