package dev.rbacsynth.read;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the {@code -f} arguments into an ordered list of sources: a file as is, {@code -} as
 * standard input, and a directory as its regular, non-hidden files, recursively (cloud exports are
 * deep trees), sorted by folder and, within a folder, rotated logs in time order (oldest first, the
 * live file last).
 *
 * <p>Every command resolves its inputs, most of them on a small run: the directory walk is plain
 * loops over {@link Files#newDirectoryStream} (no {@code Files.walk} stream, no lambdas, whose
 * classes and method handles cost can-i on a manifest directory about a hundred class loads), and
 * the rotation patterns are compiled only when two files of one directory are compared.
 */
public final class InputResolver {

  /**
   * The rotation patterns, compiled on first use (a lone file or a plain -f file needs neither).
   */
  private static final class Rotation {
    /** lumberjack (kube-apiserver) rotation: {@code audit-2026-01-02T03-04-05.678.log[.gz]}. */
    static final Pattern TIMESTAMPED =
        Pattern.compile(
            "^(.*?)-(\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}(?:\\.\\d+)?)(\\.[^.]+)(\\.gz)?$");

    /** logrotate rotation: {@code audit.log.3[.gz]}, larger numbers are older. */
    static final Pattern NUMBERED = Pattern.compile("^(.*?)\\.(\\d+)(\\.gz)?$");

    private Rotation() {}
  }

  /** Which files of a directory are read. */
  private enum Wanted {
    ALL("files"),
    MANIFESTS(".yaml, .yml or .json files");

    final String description;

    Wanted(String description) {
      this.description = description;
    }

    boolean test(Path file) {
      if (this == ALL) {
        return true;
      }
      String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
      return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }
  }

  private final InputStream stdin;
  private final Wanted wanted;

  /** For audit logs: every file of a directory. */
  public InputResolver(InputStream stdin) {
    this(stdin, Wanted.ALL);
  }

  private InputResolver(InputStream stdin, Wanted wanted) {
    this.stdin = stdin;
    this.wanted = wanted;
  }

  /**
   * For RBAC manifests: a directory contributes its {@code .yaml}, {@code .yml} and {@code .json}
   * files, like {@code kubectl apply -R -f DIR}; a file named on the command line is read whatever
   * its name.
   */
  public static InputResolver forManifests(InputStream stdin) {
    return new InputResolver(stdin, Wanted.MANIFESTS);
  }

  public List<InputSource> resolve(List<String> arguments) {
    return resolve(arguments, List.of());
  }

  /**
   * {@link #resolve(List)} without the files that are one of {@code notInputs} (the same file): the
   * run's usage ledgers, which a {@code -f} directory may hold next to the logs.
   */
  public List<InputSource> resolve(List<String> arguments, List<Path> notInputs) {
    List<InputSource> sources = new ArrayList<>();
    int stdinArguments = 0;
    for (String argument : arguments) {
      if (argument.equals("-")) {
        stdinArguments++;
      }
    }
    if (stdinArguments > 1) {
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
    List<InputSource> once = onePerPath(sources, notInputs);
    if (wanted == Wanted.ALL) {
      refuseTwins(once);
    }
    return once;
  }

  /** How much of a log's content tells it from another: as collect's fingerprints. */
  private static final int HEAD_BYTES = 1024;

  /**
   * One audit log under two names (a copy, a hard link, a rotated file kept beside its copy):
   * refused, with both names. Read twice, its events would count twice (the observation's count for
   * certain; requests past the audit-ID window too), and for {@code collect} both would resume at
   * one offset of its registry. Told by their first {@value #HEAD_BYTES} content bytes (a gzip
   * file's inflated ones), as {@code collect} knows a log; a lone file is not opened here, and a
   * file shorter than that is not compared.
   */
  private static void refuseTwins(List<InputSource> sources) {
    int files = 0;
    for (InputSource s : sources) {
      files += s instanceof InputSource.FileSource ? 1 : 0;
    }
    if (files < 2) {
      return;
    }
    Map<ByteBuffer, Path> byHead = new HashMap<>();
    for (InputSource s : sources) {
      if (!(s instanceof InputSource.FileSource file)) {
        continue;
      }
      byte[] head;
      try (InputStream in = InputSource.Content.open(file.path())) {
        head = in.readNBytes(HEAD_BYTES);
      } catch (IOException e) {
        continue; // the read reports it, with the file's name
      }
      if (head.length < HEAD_BYTES) {
        // small files may be equal without being one log: a cloud export's empty blobs
        // ({"records":[]}) are alike, and a log this short holds an event or two
        continue;
      }
      Path twin = byHead.putIfAbsent(ByteBuffer.wrap(head), file.path());
      if (twin != null) {
        throw new InputException(
            twin
                + " and "
                + file.path()
                + " begin with the same "
                + head.length
                + " bytes: the same log under two names (a copy or a hard link?); each log is"
                + " read once: give only one of them");
      }
    }
  }

  private List<InputSource> directory(Path dir) {
    if (!Files.isReadable(dir)) {
      throw new InputException(dir + ": directory is not readable");
    }
    List<Path> files = new ArrayList<>();
    try {
      walk(dir, files);
    } catch (IOException | DirectoryIteratorException e) {
      String message = e instanceof DirectoryIteratorException d ? d.getCause().getMessage() : null;
      throw new InputException(
          dir + ": cannot list directory: " + (message != null ? message : e.getMessage()), e);
    }
    if (files.isEmpty()) {
      throw new InputException(dir + ": directory contains no " + wanted.description);
    }
    files.sort(new InFolderOrder(dir));
    List<InputSource> sources = new ArrayList<>(files.size());
    for (Path file : files) {
      sources.add(new InputSource.FileSource(file));
    }
    return sources;
  }

  /**
   * The wanted regular files under {@code dir}, depth first in listing order, as {@code Files.walk}
   * visits them: a directory's entries right where it is met, symbolic links to directories not
   * followed (a link to a file is read), hidden files and folders left out.
   */
  private void walk(Path dir, List<Path> out) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        if (entry.getFileName().toString().startsWith(".")) {
          continue;
        }
        if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
          walk(entry, out);
        } else if (Files.isRegularFile(entry) && wanted.test(entry)) {
          out.add(entry);
        }
      }
    }
  }

  /** By folder (relative to the directory given), then rotated logs before the live file. */
  private static final class InFolderOrder implements Comparator<Path> {
    private final Path dir;

    InFolderOrder(Path dir) {
      this.dir = dir;
    }

    @Override
    public int compare(Path a, Path b) {
      int byFolder =
          String.valueOf(dir.relativize(a).getParent())
              .compareTo(String.valueOf(dir.relativize(b).getParent()));
      return byFolder != 0 ? byFolder : rotationKey(a).compareTo(rotationKey(b));
    }
  }

  /**
   * The same file named twice (or reached through a directory too) is read once; one of {@code
   * notInputs} not at all.
   */
  private static List<InputSource> onePerPath(List<InputSource> sources, List<Path> notInputs) {
    Set<Path> seen = new HashSet<>();
    for (Path p : notInputs) {
      seen.add(realPath(p));
    }
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

  /**
   * A sort key that puts rotated files of one log before the live file, oldest first. The key is
   * the base name, then the age rank: timestamped rotations by time, numbered rotations by
   * descending number, then the live file.
   */
  static String rotationKey(Path path) {
    String name = path.getFileName().toString();
    Matcher timestamped = Rotation.TIMESTAMPED.matcher(name);
    if (timestamped.matches()) {
      return timestamped.group(1) + timestamped.group(3) + "\u0000" + "1" + timestamped.group(2);
    }
    Matcher numbered = Rotation.NUMBERED.matcher(name);
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
