package dev.rbacsynth.event;

/**
 * Audit IDs in the form the apiserver writes them: a UUID as 8-4-4-4-12 lower-case hex digits
 * (kubernetes/apiserver:pkg/audit, {@code uuid.New().String()}). Such an ID is exactly two longs,
 * and the text comes back from them; any other string (upper case included: two IDs that differ in
 * case are two IDs) is kept as text by its callers.
 */
public final class AuditIds {

  private AuditIds() {}

  /** Whether {@code s} is a UUID in lower-case 8-4-4-4-12 hex, the form two longs give back. */
  public static boolean isCanonicalUuid(String s) {
    if (s.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = s.charAt(i);
      boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The first 16 hex digits of a canonical UUID ({@link java.util.UUID}'s most significant bits).
   */
  public static long high(String uuid) {
    return hex(uuid, 0, 19);
  }

  /**
   * The last 16 hex digits of a canonical UUID ({@link java.util.UUID}'s least significant bits).
   */
  public static long low(String uuid) {
    return hex(uuid, 19, 36);
  }

  /** The canonical text of the UUID {@code high}, {@code low}. */
  public static String text(long high, long low) {
    char[] c = new char[36];
    int at = 35;
    for (int i = 0; i < 32; i++) {
      if (at == 23 || at == 18 || at == 13 || at == 8) {
        c[at--] = '-';
      }
      long v = i < 16 ? low >>> (4 * i) : high >>> (4 * (i - 16));
      c[at--] = Character.forDigit((int) (v & 0xf), 16);
    }
    return new String(c);
  }

  private static long hex(String s, int from, int to) {
    long v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c != '-') {
        v = v << 4 | (c <= '9' ? c - '0' : c - 'a' + 10);
      }
    }
    return v;
  }
}
