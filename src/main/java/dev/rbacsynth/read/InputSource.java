package dev.rbacsynth.read;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
}
