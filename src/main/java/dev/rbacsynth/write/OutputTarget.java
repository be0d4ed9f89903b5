package dev.rbacsynth.write;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one place results are written: to stdout, or to files.
 *
 * <p>A file is written through to what it names: a symbolic link is followed (its target is
 * updated, the link stays); a FIFO, a device ({@code /dev/null}, {@code /dev/stdout}) or any other
 * non-regular file is written directly and never replaced; a regular file (or a new one) is written
 * atomically, a temporary file next to the real file then a rename, so an interrupted run leaves
 * the previous file as it was. A new file gets the permissions the umask gives (0644 under umask
 * 022), an existing file keeps its own.
 *
 * <p>{@link #writeAll} writes several outputs all or none: every regular output is staged in its
 * temporary file first (and every non-regular one checked writable); only when all are staged are
 * they renamed into place, then the non-regular ones written. A failure before that point leaves
 * every target untouched.
 */
public final class OutputTarget {
  private OutputTarget() {}

  /** One output of a run: where, and the bytes to write. */
  public record Output(Path file, byte[] bytes) {
    public static Output of(Path file, String content) {
      return new Output(file, content.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Content written as a stream (one too large to hold twice in memory). */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Writes one output streamed, as {@link #writeAll} writes it: a regular file atomically, through
   * a temporary file next to it; a FIFO or device directly.
   */
  public static void writeStreamed(Path file, Content content) {
    Path temp = null;
    try {
      Path real = resolve(file);
      if (Files.exists(real) && !Files.isRegularFile(real)) {
        try (OutputStream out =
            new BufferedOutputStream(
                Files.newOutputStream(
                    real, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING),
                1 << 16)) {
          content.writeTo(out);
        } catch (IOException e) {
          throw new IOException(file + ": " + message(e), e);
        }
        return;
      }
      temp = stage(file, real, content);
      move(temp, real);
      temp = null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + message(e), e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // best effort: a stray temporary file, named after its target
        }
      }
    }
  }

  /** Writes to {@code file}, or to {@code stdout} when it is null. */
  public static void write(String content, Path file, PrintWriter stdout) {
    if (file == null) {
      toStdout(content, stdout);
      return;
    }
    writeAll(List.of(Output.of(file, content)));
  }

  /**
   * Prints and flushes; a write error (a full disk, a closed pipe) is an exception, not silence.
   */
  public static void toStdout(String content, PrintWriter stdout) {
    stdout.print(content);
    stdout.flush();
    if (stdout.checkError()) {
      String message = "cannot write to standard output (full disk or closed pipe?)";
      throw new UncheckedIOException(message, new IOException(message));
    }
  }

  /** Writes every output, or none of them (see the class comment). */
  public static void writeAll(List<Output> outputs) {
    List<Path> temps = new ArrayList<>();
    List<Path> reals = new ArrayList<>();
    try {
      for (Output o : outputs) {
        Path real = resolve(o.file());
        reals.add(real);
        if (Files.exists(real) && !Files.isRegularFile(real)) {
          if (!Files.isWritable(real)) {
            throw new IOException(o.file() + ": permission denied");
          }
          temps.add(null);
        } else {
          byte[] bytes = o.bytes();
          temps.add(stage(o.file(), real, out -> out.write(bytes)));
        }
      }
      for (int i = 0; i < outputs.size(); i++) {
        if (temps.get(i) != null) {
          move(temps.get(i), reals.get(i));
          temps.set(i, null);
        }
      }
      for (int i = 0; i < outputs.size(); i++) {
        Path real = reals.get(i);
        if (Files.exists(real) && !Files.isRegularFile(real)) {
          try (OutputStream out =
              Files.newOutputStream(
                  real, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(outputs.get(i).bytes());
          } catch (IOException e) {
            throw new IOException(outputs.get(i).file() + ": " + message(e), e);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + message(e), e);
    } finally {
      for (Path t : temps) {
        if (t != null) {
          try {
            Files.deleteIfExists(t);
          } catch (IOException ignored) {
            // best effort: a stray temporary file, named after its target
          }
        }
      }
    }
  }

  /**
   * The file a path names once symbolic links are followed, also a link to a file not there yet
   * (the link's target is created). Absolute.
   */
  public static Path resolve(Path file) throws IOException {
    Path p = file.toAbsolutePath().normalize();
    for (int hops = 0; Files.isSymbolicLink(p); hops++) {
      if (hops > 40) {
        throw new IOException(file + ": too many levels of symbolic links");
      }
      Path target = Files.readSymbolicLink(p);
      p = p.resolveSibling(target).normalize();
    }
    Path dir = p.getParent();
    if (dir != null && Files.isDirectory(dir)) {
      p = dir.toRealPath().resolve(p.getFileName());
    }
    Path named = file.toAbsolutePath().normalize();
    if (!Files.exists(p) && Files.exists(named) && !Files.isRegularFile(named)) {
      // a link only the kernel follows: /dev/stdout to /proc/self/fd/1 to "pipe:[N]"; written
      // through the name given, directly
      return named;
    }
    return p;
  }

  /** Whether {@code file} names (through links) a regular file or nothing yet. */
  public static boolean isRegularOrNew(Path file) {
    try {
      Path real = resolve(file);
      return !Files.exists(real) || Files.isRegularFile(real);
    } catch (IOException e) {
      return true;
    }
  }

  private static Path stage(Path named, Path real, Content content) throws IOException {
    Path dir = real.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new NoSuchFileException(named + ": no such directory " + (dir == null ? "" : dir));
    }
    Path temp = null;
    FileChannel ch = null;
    for (int attempt = 0; ch == null; attempt++) {
      temp =
          dir.resolve(
              "."
                  + real.getFileName()
                  + "."
                  + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36)
                  + ".tmp");
      try {
        // No attributes: the new file gets 0666 less the umask, as any file the user creates.
        ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      } catch (FileAlreadyExistsException e) {
        if (attempt > 10) {
          throw e;
        }
      } catch (IOException e) {
        throw new IOException(named + ": " + message(e), e);
      }
    }
    try (FileChannel c = ch) {
      OutputStream out = new BufferedOutputStream(Channels.newOutputStream(c), 1 << 16);
      content.writeTo(out);
      out.flush();
      c.force(true);
      PosixFileAttributeView existing =
          Files.exists(real)
              ? Files.getFileAttributeView(real, PosixFileAttributeView.class)
              : null;
      if (existing != null) {
        Files.setPosixFilePermissions(temp, existing.readAttributes().permissions());
      }
      return temp;
    } catch (IOException e) {
      Files.deleteIfExists(temp);
      throw new IOException(named + ": " + message(e), e);
    }
  }

  private static void move(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static String message(IOException e) {
    if (e instanceof NoSuchFileException || e instanceof FileAlreadyExistsException) {
      String m = e.getMessage();
      return m == null ? e.toString() : m;
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}
