package dev.rbacsynth.read;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * Parses the RFC 3339 times of audit events. The apiserver always writes UTC with a {@code Z} and
 * up to nine fraction digits ({@code 2026-05-04T10:00:00.000001Z}); that form is parsed by hand
 * (the general parser is slow and every event has two), anything else by {@link OffsetDateTime}.
 * {@link #format} writes that form back, as {@link Instant#toString} does.
 */
public final class Timestamps {
  private Timestamps() {}

  /** The instant, or null when the text is not a time. */
  public static Instant parse(String s) {
    Instant fast = parseUtc(s);
    if (fast != null) {
      return fast;
    }
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** The first seconds of the years 0 and 10000, as epoch seconds. */
  private static final long YEAR_0 = -62_167_219_200L;

  private static final long YEAR_10000 = 253_402_300_800L;

  /**
   * {@link Instant#toString}'s text of {@code t} (ISO 8601 in UTC, the fraction in groups of three
   * digits, none when zero: {@code 2026-05-04T10:00:00.001231Z}), written out for the years 0 to
   * 9999 (others go to {@code toString}): {@code toString} builds the JDK's table of ISO formatters
   * on first use, a few milliseconds of a small run, and goes through the general formatter, which
   * took a fifth of writing a ledger (hundreds of thousands of times).
   */
  public static String format(Instant t) {
    long seconds = t.getEpochSecond();
    if (seconds < YEAR_0 || seconds >= YEAR_10000) {
      return t.toString();
    }
    LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400));
    int time = (int) Math.floorMod(seconds, 86_400);
    int nano = t.getNano();
    int digits = nano == 0 ? 0 : nano % 1_000_000 == 0 ? 3 : nano % 1_000 == 0 ? 6 : 9;
    char[] c = new char[20 + (digits == 0 ? 0 : digits + 1)];
    put(c, 0, date.getYear(), 4);
    c[4] = '-';
    put(c, 5, date.getMonthValue(), 2);
    c[7] = '-';
    put(c, 8, date.getDayOfMonth(), 2);
    c[10] = 'T';
    put(c, 11, time / 3600, 2);
    c[13] = ':';
    put(c, 14, time / 60 % 60, 2);
    c[16] = ':';
    put(c, 17, time % 60, 2);
    if (digits > 0) {
      c[19] = '.';
      put(c, 20, nano / (digits == 3 ? 1_000_000 : digits == 6 ? 1_000 : 1), digits);
    }
    c[c.length - 1] = 'Z';
    return new String(c);
  }

  /** {@code value} in {@code width} decimal digits at {@code at}, zero-padded. */
  private static void put(char[] c, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  private static Instant parseUtc(String s) {
    int n = s.length();
    if (n < 20
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || (s.charAt(10) != 'T' && s.charAt(10) != 't')
        || s.charAt(13) != ':'
        || s.charAt(16) != ':'
        || s.charAt(n - 1) != 'Z') {
      return null;
    }
    // most times of a log share their second with the time read before them on the thread
    Second last = LAST.get();
    long epochSecond;
    if (last.text != null && s.regionMatches(0, last.text, 0, 19)) {
      epochSecond = last.epochSecond;
    } else {
      epochSecond = epochSecond(s);
      if (epochSecond == Long.MIN_VALUE) {
        return null;
      }
      last.text = s.substring(0, 19);
      last.epochSecond = epochSecond;
    }
    int nanos = 0;
    if (n > 20) {
      int fraction = n - 21; // between '.' and 'Z'
      if (s.charAt(19) != '.' || fraction < 1 || fraction > 9) {
        return null;
      }
      int value = digits(s, 20, fraction);
      if (value < 0) {
        return null;
      }
      nanos = value;
      for (int i = fraction; i < 9; i++) {
        nanos *= 10;
      }
    }
    return Instant.ofEpochSecond(epochSecond, nanos);
  }

  /** The last date and time to the second a thread read ({@code s[0, 19)}), and its second. */
  private static final class Second {
    String text;
    long epochSecond;
  }

  private static final ThreadLocal<Second> LAST = ThreadLocal.withInitial(Second::new);

  /** The epoch second of {@code s[0, 19)}, or {@link Long#MIN_VALUE} when it is not a time. */
  private static long epochSecond(String s) {
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if (year < 0
        || month < 1
        || month > 12
        || day < 1
        || day > 31
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59) {
      return Long.MIN_VALUE;
    }
    try {
      long days = LocalDate.of(year, month, day).toEpochDay();
      return days * 86_400 + hour * 3_600L + minute * 60L + second;
    } catch (DateTimeException e) {
      return Long.MIN_VALUE; // e.g. February 30th
    }
  }

  /** The decimal value of {@code s[from, from + count)}, or -1 if it is not all digits. */
  private static int digits(String s, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
