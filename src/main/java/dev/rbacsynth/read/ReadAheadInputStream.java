package dev.rbacsynth.read;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads its source on a background thread into a few buffers, so that decompression (gzip) overlaps
 * with the scanning done by the reader. Memory is bounded by {@code buffers * bufferSize}. An I/O
 * error of the source is rethrown to the reader at the point where it happened.
 */
final class ReadAheadInputStream extends InputStream {
  private static final byte[] END = new byte[0];

  private final BlockingQueue<byte[]> queue;
  private final Thread thread;
  private volatile IOException failure;
  private byte[] current = new byte[0];
  private int position;
  private boolean ended;

  ReadAheadInputStream(InputStream source, int buffers, int bufferSize) {
    this.queue = new ArrayBlockingQueue<>(buffers);
    this.thread = new Thread(() -> pump(source, bufferSize), "rbac-synth-read-ahead");
    thread.setDaemon(true);
    thread.start();
  }

  private void pump(InputStream source, int bufferSize) {
    try {
      while (true) {
        byte[] buf = new byte[bufferSize];
        int n = source.readNBytes(buf, 0, bufferSize);
        if (n > 0) {
          queue.put(n == bufferSize ? buf : Arrays.copyOf(buf, n));
        }
        if (n < bufferSize) {
          break;
        }
      }
    } catch (IOException e) {
      failure = e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    try {
      queue.put(END);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (position == current.length) {
      if (ended) {
        return -1;
      }
      try {
        current = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while reading ahead", e);
      }
      position = 0;
      if (current == END) {
        ended = true;
        if (failure != null) {
          throw failure;
        }
        return -1;
      }
    }
    int n = Math.min(len, current.length - position);
    System.arraycopy(current, position, b, off, n);
    position += n;
    return n;
  }

  @Override
  public void close() {
    thread.interrupt();
  }
}
