package dev.rbacsynth.read;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines without decoding it, reusing one large buffer. After {@link #next()} returns
 * true the line is {@code buffer()[start() .. end())}, without the line terminator. Lines longer than the limit are
 * reported as {@link #tooLong()} and skipped, so one corrupt line cannot exhaust memory.
 */
final class LineReader {
  private final InputStream in;
  private final int maxLineLength;
  private byte[] buf;
  private int pos; // start of unconsumed data
  private int limit; // end of valid data
  private boolean eof;
  private int start;
  private int end;
  private long lineNumber;
  private boolean tooLong;

  LineReader(InputStream in, int initialBuffer, int maxLineLength) {
    this.in = in;
    this.buf = new byte[initialBuffer];
    this.maxLineLength = maxLineLength;
  }

  byte[] buffer() {
    return buf;
  }

  int start() {
    return start;
  }

  int end() {
    return end;
  }

  long lineNumber() {
    return lineNumber;
  }

  boolean tooLong() {
    return tooLong;
  }

  boolean next() throws IOException {
    tooLong = false;
    int scanFrom = pos;
    boolean discarding = false;
    while (true) {
      int nl = indexOf(buf, (byte) '\n', scanFrom, limit);
      if (nl >= 0) {
        lineNumber++;
        if (discarding) {
          tooLong = true;
          start = end = nl;
        } else {
          start = pos;
          end = nl > pos && buf[nl - 1] == '\r' ? nl - 1 : nl;
        }
        pos = nl + 1;
        return true;
      }
      if (eof) {
        if (pos < limit || discarding) {
          lineNumber++;
          if (discarding) {
            tooLong = true;
            start = end = limit;
          } else {
            start = pos;
            end = limit;
          }
          pos = limit;
          return true;
        }
        return false;
      }
      int pending = limit - pos;
      if (discarding) {
        pos = limit = 0;
        pending = 0;
      } else if (pending >= maxLineLength) {
        discarding = true;
        pos = limit = 0;
        pending = 0;
      } else if (pos > 0) {
        System.arraycopy(buf, pos, buf, 0, pending);
        pos = 0;
        limit = pending;
      }
      if (limit == buf.length) {
        buf = Arrays.copyOf(buf, Math.min(Math.max(buf.length * 2, 1024), maxLineLength + 1));
      }
      scanFrom = limit;
      int n = in.read(buf, limit, buf.length - limit);
      if (n < 0) {
        eof = true;
      } else {
        limit += n;
      }
    }
  }

  private static int indexOf(byte[] a, byte b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (a[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
