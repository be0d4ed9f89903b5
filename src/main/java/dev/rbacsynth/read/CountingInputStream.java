package dev.rbacsynth.read;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.LongAdder;

/** Adds the bytes read to a counter, for progress on compressed and uncompressed input alike. */
final class CountingInputStream extends FilterInputStream {
  private final LongAdder counter;
  private long count; // this stream's own

  CountingInputStream(InputStream in, LongAdder counter) {
    super(in);
    this.counter = counter;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      counter.increment();
      count++;
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      counter.add(n);
      count += n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(n);
    counter.add(skipped);
    count += skipped;
    return skipped;
  }

  /** The bytes read through this stream. */
  long count() {
    return count;
  }
}
