package dev.rbacsynth.read;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;

/**
 * Where a log reaches a time: the content offset of its first line whose request was received at or
 * after it. {@code collect --until} reads a file it keeps a registry of only up to there, so that a
 * later collect reads on from that line and counts the rest exactly once (the lines after the
 * window are not lost, nor is a line before the window read twice).
 *
 * <p>A line's time is read from its bytes as the reader's pre-filter reads the time of a line it
 * does not parse: the last {@code "requestReceivedTimestamp":"...} of a line written as the
 * apiserver writes it is the top-level one. A line whose time cannot be read so (another format, an
 * envelope) never makes the cut: such a file is read whole, as before, and its events past the
 * window are dropped.
 */
public final class ReceivedCut {
  private static final byte[] KEY = AuditLogReader.TIME_KEY.getBytes(StandardCharsets.ISO_8859_1);

  private ReceivedCut() {}

  /**
   * The content offset ({@link InputSource.Content}: a gzip file's inflated bytes) of the first
   * line from {@code start} (a line start) whose request was received at or after {@code until}, or
   * -1 when there is none.
   */
  public static long find(Path path, long start, Instant until) throws IOException {
    try (InputStream in = InputSource.Content.open(path)) {
      in.skipNBytes(start);
      byte[] buf = new byte[1 << 16];
      int from = 0; // the start of the line being assembled
      int to = 0; // the end of the bytes in buf
      long offset = start; // the content offset of buf[0]
      while (true) {
        if (to == buf.length) {
          if (from > 0) {
            System.arraycopy(buf, from, buf, 0, to - from);
            offset += from;
            to -= from;
            from = 0;
          } else {
            buf = Arrays.copyOf(buf, buf.length * 2); // a line longer than the buffer
          }
        }
        int n = in.read(buf, to, buf.length - to);
        if (n < 0) {
          return -1; // a last line without its newline is not whole: never the cut
        }
        int scanFrom = to;
        to += n;
        for (int i = scanFrom; i < to; i++) {
          if (buf[i] == '\n') {
            Instant received = received(buf, from, i);
            if (received != null && !received.isBefore(until)) {
              return offset + from;
            }
            from = i + 1;
          }
        }
      }
    }
  }

  /** The line {@code buf[from, to)}'s last {@code requestReceivedTimestamp}, or null. */
  private static Instant received(byte[] buf, int from, int to) {
    for (int at = to - KEY.length; at >= from; at--) {
      if (buf[at] == KEY[0] && Arrays.equals(buf, at, at + KEY.length, KEY, 0, KEY.length)) {
        // the value as the reader's pre-filter reads it (a plain time, closed within 40 bytes)
        int value = at + KEY.length;
        String text = new String(buf, value, Math.min(to - value, 42), StandardCharsets.ISO_8859_1);
        return AuditLogReader.timeAt(text, 0, text.length());
      }
    }
    return null;
  }
}
