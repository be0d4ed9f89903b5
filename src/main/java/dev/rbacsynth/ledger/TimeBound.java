package dev.rbacsynth.ledger;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code --since}/{@code --until} (and {@code serve}'s {@code ?since=}) value: an RFC 3339 time,
 * a date (its UTC midnight), or a duration before now such as {@code 30d}, {@code 12h}, {@code
 * 90m}, {@code 45s} (units may be combined: {@code 1d12h}).
 */
public final class TimeBound {
  private static final Pattern PART = Pattern.compile("(\\d+)([dhms])");

  private TimeBound() {}

  /**
   * @throws IllegalArgumentException with a one-line reason
   */
  public static Instant parse(String text, Instant now) {
    String t = text.trim();
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException e) {
      // not a time: a date or a duration?
    }
    try {
      return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      // not a date: a duration?
    }
    Matcher m = PART.matcher(t);
    Duration d = Duration.ZERO;
    int at = 0;
    while (m.find() && m.start() == at) {
      long n = Long.parseLong(m.group(1));
      d =
          d.plus(
              switch (m.group(2)) {
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
              });
      at = m.end();
    }
    if (at == 0 || at != t.length()) {
      throw new IllegalArgumentException(
          "\""
              + text
              + "\" is neither an RFC 3339 time (2026-12-01T00:00:00Z), a date nor a duration (30d, 12h, "
              + "90m)");
    }
    return now.minus(d);
  }
}
