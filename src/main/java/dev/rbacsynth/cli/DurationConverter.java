package dev.rbacsynth.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A length of time as {@code 7d}, {@code 12h}, {@code 30m}, {@code 45s} or a sum ({@code 1d12h}).
 */
final class DurationConverter implements ITypeConverter<Duration> {
  private static final Pattern FORM =
      Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

  @Override
  public Duration convert(String value) {
    Matcher m = FORM.matcher(value);
    if (value.isEmpty() || !m.matches()) {
      throw new TypeConversionException(
          "\""
              + value
              + "\" is not a duration (use days, hours, minutes, seconds: 7d, 12h, 1d12h)");
    }
    try {
      return Duration.ofDays(part(m, 1))
          .plusHours(part(m, 2))
          .plusMinutes(part(m, 3))
          .plusSeconds(part(m, 4));
    } catch (ArithmeticException e) {
      throw new TypeConversionException("\"" + value + "\" is too long a duration");
    }
  }

  private static long part(Matcher m, int group) {
    String g = m.group(group);
    if (g == null) {
      return 0;
    }
    if (g.length() > 9) {
      throw new ArithmeticException("too long");
    }
    return Long.parseLong(g);
  }
}
