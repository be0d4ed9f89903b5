package dev.rbacsynth.ledger;

import java.time.Instant;
import java.time.LocalDate;

/**
 * The one form of RFC 3339 time a ledger is written with ({@link Instant#toString}: {@code
 * 2026-05-04T10:00:10.606443Z}, UTC, 0 to 9 fraction digits), read without a date-time formatter: a
 * ledger holds one or two times per row. Anything else is {@link #INVALID}, and the caller falls
 * back to {@link Instant#parse}.
 */
final class Rfc3339 {
  static final long INVALID = Long.MAX_VALUE;

  private Rfc3339() {}

  /** Epoch nanoseconds of {@code s}, or {@link #INVALID} when it is not of that form. */
  static long nanos(String s) {
    int n = s.length();
    if (n < 20
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':'
        || s.charAt(n - 1) != 'Z') {
      return INVALID;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 7);
    int day = digits(s, 8, 10);
    int hour = digits(s, 11, 13);
    int minute = digits(s, 14, 16);
    int second = digits(s, 17, 19);
    if (year < 1678 // epoch nanoseconds fit a long from 1677 to 2262
        || year > 2261
        || month < 1
        || month > 12
        || day < 1
        || day > lengthOfMonth(year, month)
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59) {
      return INVALID;
    }
    long nano = 0;
    if (n > 20) {
      int digits = n - 21;
      if (s.charAt(19) != '.' || digits < 1 || digits > 9) {
        return INVALID;
      }
      int f = digits(s, 20, n - 1);
      if (f < 0) {
        return INVALID;
      }
      nano = f;
      for (int i = digits; i < 9; i++) {
        nano *= 10;
      }
    }
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    long seconds = epochDay * 86_400L + hour * 3600L + minute * 60L + second;
    return seconds * 1_000_000_000L + nano;
  }

  /** The number in {@code s[from, to)}, -1 when a character is not a digit. */
  private static int digits(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static int lengthOfMonth(int year, int month) {
    return switch (month) {
      case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }
}
