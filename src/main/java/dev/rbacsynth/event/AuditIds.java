package dev.rbacsynth.event;

import java.util.Arrays;
import java.util.UUID;

/**
 * Audit IDs in the form the apiserver writes them: a UUID as 8-4-4-4-12 lower-case hex digits
 * (kubernetes/apiserver:pkg/audit, {@code uuid.New().String()}). Such an ID is exactly two longs,
 * and the text comes back from them; any other string (upper case included: two IDs that differ in
 * case are two IDs) is kept as text by its callers.
 */
public final class AuditIds {

  private AuditIds() {}

  // the value of each lower-case hex digit, -1 for every other character below 128
  private static final byte[] NIBBLE = new byte[128];

  static {
    Arrays.fill(NIBBLE, (byte) -1);
    for (int c = '0'; c <= '9'; c++) {
      NIBBLE[c] = (byte) (c - '0');
    }
    for (int c = 'a'; c <= 'f'; c++) {
      NIBBLE[c] = (byte) (c - 'a' + 10);
    }
  }

  /** Whether {@code s} is a UUID in lower-case 8-4-4-4-12 hex, the form two longs give back. */
  public static boolean isCanonicalUuid(String s) {
    if (s.length() != 36
        || s.charAt(8) != '-'
        || s.charAt(13) != '-'
        || s.charAt(18) != '-'
        || s.charAt(23) != '-') {
      return false;
    }
    int bad = 0; // the OR of every digit's value: negative when one is not a digit
    for (int i = 0; i < 36; i++) {
      if (i != 8 && i != 13 && i != 18 && i != 23) {
        char c = s.charAt(i);
        bad |= c < 128 ? NIBBLE[c] : -1;
      }
    }
    return bad >= 0;
  }

  /**
   * The first 16 hex digits of a canonical UUID ({@link java.util.UUID}'s most significant bits).
   */
  public static long high(String uuid) {
    return hex(uuid, 0, 8) << 32 | hex(uuid, 9, 13) << 16 | hex(uuid, 14, 18);
  }

  /**
   * The last 16 hex digits of a canonical UUID ({@link java.util.UUID}'s least significant bits).
   */
  public static long low(String uuid) {
    return hex(uuid, 19, 23) << 48 | hex(uuid, 24, 36);
  }

  /** The canonical text of the UUID {@code high}, {@code low}. */
  public static String text(long high, long low) {
    return new UUID(high, low).toString(); // lower-case 8-4-4-4-12
  }

  /** The hex digits {@code s[from, to)} of a canonical UUID as a number. */
  private static long hex(String s, int from, int to) {
    long v = 0;
    for (int i = from; i < to; i++) {
      v = v << 4 | NIBBLE[s.charAt(i)];
    }
    return v;
  }
}
