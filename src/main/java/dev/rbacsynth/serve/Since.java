package dev.rbacsynth.serve;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ?since=}: a duration ({@code 30d}, {@code 12h}, {@code 90m}) or an RFC 3339 time (or a
 * date). The store counts per UTC day, so a window starts at the beginning of the UTC day the time
 * falls in.
 */
final class Since {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})([smhd])");

  private Since() {}

  /** The start of the window, or null for none (the ledger rounds it out to its UTC day). */
  static Instant instant(String value, Clock clock) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    Matcher m = DURATION.matcher(value);
    Instant start;
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration d =
          switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          };
      start = clock.instant().minus(d);
    } else {
      try {
        start = OffsetDateTime.parse(value).toInstant();
      } catch (DateTimeParseException e) {
        try {
          return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e2) {
          throw new IllegalArgumentException(
              "since: expected a duration such as 30d or 12h, or an RFC 3339 time, found \""
                  + value.replaceAll("[^\\x20-\\x7e]", "?")
                  + "\"");
        }
      }
    }
    return start;
  }
}
