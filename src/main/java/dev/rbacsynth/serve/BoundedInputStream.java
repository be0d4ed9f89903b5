package dev.rbacsynth.serve;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads at most {@code limit} bytes; one more is {@link TooLarge}, whatever Content-Length said.
 */
final class BoundedInputStream extends FilterInputStream {
  static final class TooLarge extends IOException {
    TooLarge(long limit) {
      super("request body larger than " + limit + " bytes");
    }
  }

  private final long limit;
  private long read;

  BoundedInputStream(InputStream in, long limit) {
    super(in);
    this.limit = limit;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      count(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = super.read(buf, off, (int) Math.min(len, limit - read + 1));
    if (n > 0) {
      count(n);
    }
    return n;
  }

  private void count(int n) throws TooLarge {
    read += n;
    if (read > limit) {
      throw new TooLarge(limit);
    }
  }

  /**
   * Leaves the request stream open: what is left of a rejected body is dropped after the answer.
   */
  @Override
  public void close() {}

  long bytesRead() {
    return read;
  }
}
