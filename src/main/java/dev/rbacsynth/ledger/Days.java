package dev.rbacsynth.ledger;

import java.time.Instant;
import java.time.LocalDate;

/**
 * UTC days as epoch day numbers, the ledger's time buckets. Events without a time are in the bucket
 * {@link #NONE}, written as {@code "none"}.
 */
public final class Days {
  public static final long NONE = Long.MIN_VALUE;

  private Days() {}

  public static long of(Instant time) {
    return time == null ? NONE : Math.floorDiv(time.getEpochSecond(), 86_400L);
  }

  /** The first instant of a day. */
  public static Instant start(long day) {
    return Instant.ofEpochSecond(day * 86_400L);
  }

  public static String format(long day) {
    return day == NONE ? "none" : LocalDate.ofEpochDay(day).toString();
  }

  public static long parse(String text) {
    return text.equals("none") ? NONE : LocalDate.parse(text).toEpochDay();
  }
}
