package dev.rbacsynth.read;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The content of a gzip file, member after member (RFC 1952 §2.2: a file may hold several, as
 * {@code cat a.gz b.gz} and log shippers make them), so that nothing after a member is lost:
 *
 * <ul>
 *   <li>a corrupt member is reported, and reading resumes at the next member (found by its magic
 *       bytes); what the corrupt member inflated before the damage is kept;
 *   <li>a truncated member ends the stream, keeping what was inflated;
 *   <li>plain (uncompressed) data after a member, as when a live log was appended to a compressed
 *       one, is read as it is;
 *   <li>a member whose CRC-32 or length does not match its data is reported.
 * </ul>
 *
 * Damage is collected (with the stored byte offsets) and reported by the reader once it has used
 * the data before it. Memory is constant: one input buffer and the inflater's window.
 */
final class GzipMembers extends InputStream {
  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;

  private enum State {
    HEADER,
    INFLATE,
    PLAIN,
    END
  }

  private final InputStream in;
  private final byte[] buf = new byte[1 << 16];
  private int pos;
  private int lim;
  private long base; // stored offset of buf[0]
  private boolean eof;
  private final Inflater inflater = new Inflater(true);
  private final CRC32 crc = new CRC32();
  private long memberStart;
  private long memberSize;
  private int members;
  private State state = State.HEADER;
  private final List<Damage> damage = Collections.synchronizedList(new ArrayList<>());
  private long produced; // content bytes handed out so far

  /**
   * One problem of the compressed data, with the content offset where it was met: the data lost
   * there lies just before content byte {@code at}.
   */
  record Damage(long at, String message) {}

  GzipMembers(InputStream in) {
    this.in = in;
  }

  /** What was wrong with the compressed data, in the order met; empty when nothing was. */
  List<String> damage() {
    synchronized (damage) {
      return damage.stream().map(Damage::message).toList();
    }
  }

  /** {@link #damage()} with where in the content each problem was met. */
  List<Damage> damageAt() {
    synchronized (damage) {
      return List.copyOf(damage);
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n <= 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = next(b, off, len);
    if (n > 0) {
      produced += n;
    }
    return n;
  }

  private int next(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (true) {
      switch (state) {
        case END -> {
          return -1;
        }
        case PLAIN -> {
          if (!ensure(1)) {
            state = State.END;
            return -1;
          }
          int end = plainEnd();
          if (end == pos) {
            state = State.HEADER; // another member follows the plain data
            continue;
          }
          int n = Math.min(len, end - pos);
          System.arraycopy(buf, pos, b, off, n);
          pos += n;
          return n;
        }
        case HEADER -> header();
        case INFLATE -> {
          int n = inflate(b, off, len);
          if (n > 0) {
            return n;
          }
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    inflater.end();
    in.close();
  }

  /**
   * Where the plain data in the buffer ends: at a member's magic bytes (text never holds the byte
   * {@code 1f}), or at the end of the buffer.
   */
  private int plainEnd() throws IOException {
    for (int i = pos; i < lim; i++) {
      if (buf[i] == 0x1f) {
        if (i == pos) {
          ensure(3);
          return isMagic(pos) ? pos : pos + 1;
        }
        return i;
      }
    }
    return lim;
  }

  private boolean isMagic(int at) {
    return at + 2 < lim
        && (buf[at] & 0xff) == 0x1f
        && (buf[at + 1] & 0xff) == 0x8b
        && buf[at + 2] == 8;
  }

  private void header() throws IOException {
    // Zero bytes between or after members (block padding) are not data.
    while (ensure(1) && buf[pos] == 0 && members > 0) {
      pos++;
    }
    if (!ensure(1)) {
      state = State.END;
      return;
    }
    if (!ensure(2) || (buf[pos] & 0xff) != 0x1f || (buf[pos + 1] & 0xff) != 0x8b) {
      // Not another member: what follows is read as plain data (the first member always has the
      // magic bytes, or this reader would not have been chosen).
      state = State.PLAIN;
      return;
    }
    memberStart = offset();
    if (!ensure(10)) {
      truncated();
      return;
    }
    int method = buf[pos + 2] & 0xff;
    int flags = buf[pos + 3] & 0xff;
    if (method != 8) {
      damage.add(
          new Damage(
              produced,
              "gzip member at byte "
                  + memberStart
                  + " uses compression method "
                  + method
                  + ", not deflate"
                  + resync(offset())));
      return;
    }
    pos += 10;
    if ((flags & FEXTRA) != 0) {
      if (!ensure(2)) {
        truncated();
        return;
      }
      int extra = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8;
      pos += 2;
      if (!skip(extra)) {
        truncated();
        return;
      }
    }
    for (int flag : new int[] {FNAME, FCOMMENT}) {
      if ((flags & flag) != 0 && !skipZeroTerminated()) {
        truncated();
        return;
      }
    }
    if ((flags & FHCRC) != 0 && !skip(2)) {
      truncated();
      return;
    }
    inflater.reset();
    crc.reset();
    memberSize = 0;
    members++;
    state = State.INFLATE;
  }

  private int inflate(byte[] b, int off, int len) throws IOException {
    if (pos == lim && !ensure(1)) {
      truncated();
      return 0;
    }
    inflater.setInput(buf, pos, lim - pos);
    int n;
    try {
      n = inflater.inflate(b, off, len);
    } catch (DataFormatException e) {
      pos = lim - inflater.getRemaining();
      long at = offset();
      String why = e.getMessage() == null ? "invalid deflate data" : e.getMessage();
      damage.add(
          new Damage(
              produced,
              "corrupt gzip data in the member at byte "
                  + memberStart
                  + " (at byte "
                  + at
                  + ": "
                  + why
                  + ")"
                  + resync(at)));
      return 0;
    }
    pos = lim - inflater.getRemaining();
    if (n > 0) {
      crc.update(b, off, n);
      memberSize += n;
      return n;
    }
    if (inflater.finished()) {
      trailer();
    } else if (inflater.needsDictionary()) {
      damage.add(
          new Damage(
              produced,
              "gzip member at byte "
                  + memberStart
                  + " needs a preset dictionary"
                  + resync(offset())));
    }
    return 0;
  }

  private void trailer() throws IOException {
    if (!ensure(8)) {
      truncated();
      return;
    }
    long storedCrc = le32(pos);
    long storedSize = le32(pos + 4);
    pos += 8;
    if (storedCrc != crc.getValue() || storedSize != (memberSize & 0xffffffffL)) {
      damage.add(
          new Damage(
              produced,
              "gzip member at byte "
                  + memberStart
                  + " does not match its checksum: its data may be corrupt"));
    }
    state = State.HEADER;
  }

  private void truncated() {
    damage.add(
        new Damage(
            produced,
            "unexpected end of compressed data (truncated gzip?) in the member at byte "
                + memberStart));
    state = State.END;
  }

  /**
   * Looks for the next member's magic bytes ({@code 1f 8b 08}) and continues there; says where
   * reading resumed, for the message. The search starts right after the damaged member's magic
   * where those bytes are still buffered (a member cut short and followed by a new one hides the
   * new one's header in what the inflater already took as data), else at the earliest byte still
   * buffered.
   *
   * @param lostFrom where the damage was found
   */
  private String resync(long lostFrom) throws IOException {
    pos = (int) Math.min(Math.max(memberStart + 2 - base, 0), lim);
    while (true) {
      if (!ensure(3)) {
        state = State.END;
        return "; the rest of the file (from byte " + lostFrom + ") is lost";
      }
      for (int i = pos; i + 2 < lim; i++) {
        if ((buf[i] & 0xff) == 0x1f && (buf[i + 1] & 0xff) == 0x8b && buf[i + 2] == 8) {
          pos = i;
          state = State.HEADER;
          return "; reading resumed at the next gzip member, at byte " + offset();
        }
      }
      pos = lim - 2; // keep the last two bytes: a magic may straddle the refill
    }
  }

  private long offset() {
    return base + pos;
  }

  private long le32(int at) {
    return (buf[at] & 0xffL)
        | (buf[at + 1] & 0xffL) << 8
        | (buf[at + 2] & 0xffL) << 16
        | (buf[at + 3] & 0xffL) << 24;
  }

  private boolean skip(int n) throws IOException {
    while (n > 0) {
      if (!ensure(1)) {
        return false;
      }
      int k = Math.min(n, lim - pos);
      pos += k;
      n -= k;
    }
    return true;
  }

  private boolean skipZeroTerminated() throws IOException {
    while (ensure(1)) {
      if (buf[pos++] == 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * At least {@code n} bytes (n <= the buffer size) in {@code buf[pos, lim)}, unless the input
   * ends.
   */
  private boolean ensure(int n) throws IOException {
    if (lim - pos >= n) {
      return true;
    }
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, lim - pos);
      base += pos;
      lim -= pos;
      pos = 0;
    }
    while (lim < n && !eof) {
      int r = in.read(buf, lim, buf.length - lim);
      if (r < 0) {
        eof = true;
      } else {
        lim += r;
      }
    }
    return lim - pos >= n;
  }
}
