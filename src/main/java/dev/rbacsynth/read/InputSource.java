package dev.rbacsynth.read;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    @Override
    public InputStream openRaw() throws IOException {
      return Files.newInputStream(path);
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
   * usage ledger reads only what it has not read before; offsets survive rotation and gzip).
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
      return new Slice(in, end - start);
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

  /** At most {@code limit} bytes of a content stream, passing on its gzip damage. */
  final class Slice extends FilterInputStream implements GzipDamage {
    private long left;

    private Slice(InputStream in, long limit) {
      super(in);
      this.left = limit;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = super.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = super.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }

    @Override
    public List<String> gzipDamage() {
      return in instanceof GzipDamage d ? d.gzipDamage() : List.of();
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
    private static final class Gunzipped extends BufferedInputStream implements GzipDamage {
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
