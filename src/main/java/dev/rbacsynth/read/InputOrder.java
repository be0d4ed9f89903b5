package dev.rbacsynth.read;

/**
 * Where the record a reader thread is handing on lies in the order of the input, for sinks whose
 * decisions must not depend on how the reader threads' work interleaved: the part of the input
 * being read (a source, or a segment of a large file, numbered in input order) and how many records
 * that part has handed on so far, as one number that grows in input order.
 */
public final class InputOrder {
  private static final int RECORD_BITS = 40;
  private static final ThreadLocal<long[]> CURRENT = new ThreadLocal<>();

  private InputOrder() {}

  /** The calling thread starts reading part {@code part} of the input. */
  static void begin(int part) {
    CURRENT.set(new long[] {part, 0});
  }

  /** The calling thread is done with its part. */
  static void end() {
    CURRENT.remove();
  }

  /** The part the calling thread is reading, -1 when it is not reading a part of the input. */
  static int part() {
    long[] c = CURRENT.get();
    return c == null ? -1 : (int) c[0];
  }

  /**
   * The position of the next record the calling reader thread hands on; -1 when the thread is not
   * reading a part of the input (records given to a sink directly, in their order).
   */
  public static long next() {
    long[] c = CURRENT.get();
    if (c == null) {
      return -1;
    }
    return (c[0] << RECORD_BITS) | ++c[1];
  }
}
