package dev.rbacsynth.read;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a stream in large chunks that end on a line boundary, so lines can be searched in bulk.
 * After {@link #next()} the chunk is {@code buffer()[0 .. length())}; only the last chunk may lack
 * a final newline. A line longer than the limit is dropped (counted in {@link #droppedLongLines()})
 * so one corrupt line cannot exhaust memory.
 */
final class ChunkReader {
  private final InputStream in;
  private final int maxLine;
  private byte[] buf;
  private int filled; // valid bytes in buf
  private int length; // bytes of the current chunk
  private boolean eof;
  private long droppedLongLines;

  ChunkReader(InputStream in, int chunkSize, int maxLine) {
    this.in = in;
    this.buf = new byte[chunkSize];
    this.maxLine = maxLine;
  }

  byte[] buffer() {
    return buf;
  }

  int length() {
    return length;
  }

  long droppedLongLines() {
    return droppedLongLines;
  }

  boolean next() throws IOException {
    // Move what followed the previous chunk to the front.
    int rest = filled - length;
    if (rest > 0 && length > 0) {
      System.arraycopy(buf, length, buf, 0, rest);
    }
    filled = rest;
    length = 0;
    while (true) {
      while (!eof && filled < buf.length) {
        int n = in.read(buf, filled, buf.length - filled);
        if (n < 0) {
          eof = true;
        } else {
          filled += n;
        }
      }
      int cut = lastNewline(buf, filled);
      if (cut >= 0) {
        length = cut + 1;
        return true;
      }
      if (eof) {
        length = filled;
        return filled > 0;
      }
      // No newline in a full buffer: grow up to the line limit, then drop the line.
      if (buf.length < maxLine) {
        buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, maxLine));
      } else {
        droppedLongLines++;
        filled = 0;
        skipRestOfLine();
      }
    }
  }

  private void skipRestOfLine() throws IOException {
    byte[] scratch = new byte[1 << 16];
    while (true) {
      int n = in.read(scratch);
      if (n < 0) {
        eof = true;
        return;
      }
      for (int i = 0; i < n; i++) {
        if (scratch[i] == '\n') {
          System.arraycopy(scratch, i + 1, buf, 0, n - i - 1);
          filled = n - i - 1;
          return;
        }
      }
    }
  }

  private static int lastNewline(byte[] b, int end) {
    for (int i = end - 1; i >= 0; i--) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
