package dev.rbacsynth.read;

import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * One stream of audit records: a file or standard input. Compression is detected when it is opened.
 */
public sealed interface InputSource {

  /** The name used in messages. */
  String name();

  /** Size in bytes as stored (compressed if gzipped), or -1 when unknown. */
  long size();

  InputStream openRaw() throws IOException;

  record FileSource(Path path) implements InputSource {
    @Override
    public String name() {
      return path.toString();
    }

    @Override
    public long size() {
      try {
        return Files.size(path);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /**
     * A {@link FileInputStream}: {@code Files.newInputStream} opens a {@code FileChannel}, whose
     * first use loads about 30 classes and the JDK's nio library, and copies every read through a
     * direct buffer as large as the read. When the file cannot be opened, {@code Files} opens it
     * again, so that the error is the one it names (no such file, permission denied).
     */
    @Override
    public InputStream openRaw() throws IOException {
      try {
        return new FileInputStream(path.toFile());
      } catch (FileNotFoundException e) {
        return Files.newInputStream(path);
      }
    }
  }

  record StdinSource(InputStream in) implements InputSource {
    @Override
    public String name() {
      return "<stdin>";
    }

    @Override
    public long size() {
      return -1;
    }

    @Override
    public InputStream openRaw() {
      return in;
    }
  }

  /**
   * Bytes {@code [start, end)} of a file's content, decompressed when the file is gzipped (the
   * usage ledger reads only what it has not read before; offsets survive rotation and gzip). Of the
   * gzip damage, only what lies in the slice is reported (see {@link Slice}).
   */
  record SliceSource(Path path, long start, long end) implements InputSource {
    @Override
    public String name() {
      return path.toString();
    }

    @Override
    public long size() {
      return end - start;
    }

    @Override
    public InputStream openRaw() throws IOException {
      InputStream in = Content.open(path);
      in.skipNBytes(start);
      return new Slice(in, start, end - start, false);
    }
  }

  /**
   * A file's content from {@code start} to the end of its last whole line, decompressed when the
   * file is gzipped, read in one pass: where the last whole line ends is known once the content is
   * read ({@link #end()}), so a gzip file is inflated once, not once to find its size and again to
   * read it. Each {@link #openRaw()} reads afresh.
   */
  final class WholeLinesSource implements InputSource {
    private final Path path;
    private final long start;
    private final long limit;
    private volatile long end = -1;

    public WholeLinesSource(Path path, long start) {
      this(path, start, Long.MAX_VALUE);
    }

    /** At most {@code limit} bytes of content from {@code start}. */
    public WholeLinesSource(Path path, long start, long limit) {
      this.path = path;
      this.start = start;
      this.limit = limit;
    }

    public Path path() {
      return path;
    }

    public long start() {
      return start;
    }

    /**
     * Where the last whole line read ended (a content offset, {@code start} when there was none);
     * -1 before the content was read to its end.
     */
    public long end() {
      return end;
    }

    @Override
    public String name() {
      return path.toString();
    }

    @Override
    public long size() {
      return -1;
    }

    @Override
    public InputStream openRaw() throws IOException {
      InputStream in = Content.open(path);
      in.skipNBytes(start);
      return new Slice(in, start, limit, true) {
        @Override
        void ended(long at) {
          end = at;
        }
      };
    }
  }

  /**
   * Decompressed content whose gzip members may have been damaged: the reader reports what {@link
   * #gzipDamage()} lists once it has read the stream, as it does for a gzipped file it decompresses
   * itself.
   */
  interface GzipDamage {
    List<String> gzipDamage();
  }

  /**
   * At most {@code limit} bytes of a content stream that starts at content offset {@code start}, or
   * (whole lines) its bytes up to its last newline, passing on the gzip damage that lies in it: met
   * after its first byte ({@code start == 0}: from the start) and at most at its end, so that
   * reading a file slice by slice reports each damage once, in the slice whose bytes it cut. Once a
   * slice of fixed length is read, one more byte is asked for, so that damage right at its end is
   * met. A line cut by damage at the end of the content (a truncated member) is never ended: a
   * whole-lines slice reads it as it is (it is reported as the broken record it is), so the slice
   * ends at the damage. Damage met before the first byte a slice passes on is taken for the one the
   * slice before it reported.
   */
  class Slice extends FilterInputStream implements GzipDamage {
    private final long start;
    private final boolean wholeLines;
    private long left;
    private long passed;
    private boolean done;
    // wholeLines: bytes read past the last newline, held until a newline or the end decides them
    private byte[] held = new byte[0];
    private int heldFrom;
    private int heldTo;
    private int heldNewline = -1; // the last newline in held[heldFrom, heldTo), -1 when none

    private Slice(InputStream in, long start, long limit, boolean wholeLines) {
      super(in);
      this.start = start;
      this.left = limit;
      this.wholeLines = wholeLines;
    }

    /** Told the content offset where the slice ended, once it did. */
    void ended(long at) {}

    private int end() {
      if (!done) {
        done = true;
        if (!wholeLines && in instanceof Content.Gunzipped) {
          try {
            in.read(); // damage right at the end of the slice is met only when reading on
          } catch (IOException e) {
            // what cannot be read after the slice is not the slice's
          }
        }
        ended(start + passed);
      }
      return -1;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (left <= 0) {
        return end();
      }
      if (!wholeLines) {
        int n = super.read(b, off, (int) Math.min(len, left));
        if (n > 0) {
          left -= n;
          passed += n;
          return n;
        }
        return end();
      }
      while (heldNewline < 0) {
        if (heldTo == held.length) {
          if (heldFrom > 0) {
            System.arraycopy(held, heldFrom, held, 0, heldTo - heldFrom);
            heldTo -= heldFrom;
            heldFrom = 0;
          } else {
            held = Arrays.copyOf(held, Math.max(1 << 16, held.length * 2));
          }
        }
        int n = in.read(held, heldTo, held.length - heldTo);
        if (n <= 0) {
          if (heldTo > heldFrom && cutByDamage()) {
            heldNewline = heldTo - 1; // a line that lost its end: read (and reported) as it is
            break;
          }
          return end(); // what is left is a line not yet ended: not read
        }
        for (int i = heldTo + n - 1; i >= heldTo; i--) {
          if (held[i] == '\n') {
            heldNewline = i;
            break;
          }
        }
        heldTo += n;
      }
      int n = (int) Math.min(Math.min(len, heldNewline + 1 - heldFrom), left);
      System.arraycopy(held, heldFrom, b, off, n);
      heldFrom += n;
      left -= n;
      passed += n;
      if (heldFrom > heldNewline) {
        heldNewline = -1;
      }
      return n;
    }

    /** The content ended in damage after the last newline: the line there is never ended. */
    private boolean cutByDamage() {
      if (!(in instanceof Content.Gunzipped g)) {
        return false;
      }
      long lineStart = start + passed;
      return g.members.damageAt().stream().anyMatch(d -> d.at() > lineStart);
    }

    @Override
    public List<String> gzipDamage() {
      if (!(in instanceof Content.Gunzipped g)) {
        return List.of();
      }
      long to = start + passed;
      return g.members.damageAt().stream()
          .filter(d -> (d.at() > start || start == 0) && d.at() <= to)
          .map(GzipMembers.Damage::message)
          .toList();
    }
  }

  /** A file's content, decompressed when it is gzipped (detected by the magic bytes). */
  final class Content {
    private Content() {}

    public static InputStream open(Path path) throws IOException {
      BufferedInputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
      in.mark(2);
      int b1 = in.read();
      int b2 = in.read();
      in.reset();
      if (b1 == 0x1f && b2 == 0x8b) {
        return new Gunzipped(new GzipMembers(in));
      }
      return in;
    }

    /** A gzipped file's content, keeping the damage its members had. */
    static final class Gunzipped extends BufferedInputStream implements GzipDamage {
      private final GzipMembers members;

      Gunzipped(GzipMembers members) {
        super(members, 1 << 16);
        this.members = members;
      }

      @Override
      public List<String> gzipDamage() {
        return members.damage();
      }
    }
  }
}
