package dev.rbacsynth.read;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.ZipException;

/**
 * Ends a decompressed stream cleanly where the compressed data is cut or corrupt, so every complete
 * record before the damage is still read; the damage is reported once the reader has used what came
 * before it.
 */
final class TruncationTolerantInputStream extends FilterInputStream {
  private String damage;

  TruncationTolerantInputStream(InputStream in) {
    super(in);
  }

  /** Why the stream ended early, or null when it ended normally. */
  String damage() {
    return damage;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n <= 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (damage != null) {
      return -1;
    }
    try {
      return super.read(b, off, len);
    } catch (EOFException e) {
      damage = "unexpected end of compressed data (truncated gzip?)";
    } catch (ZipException e) {
      damage = "corrupt gzip data: " + e.getMessage();
    }
    return -1;
  }
}
