package dev.rbacsynth.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-05-04T10:00:00.000001Z",
        "2017-09-11T19:55:05Z",
        "2024-02-29T23:59:59.5Z",
        "2018-10-26T13:38:34.867116123Z",
        "1999-12-31t00:00:00Z"
      })
  void utcTimesParseLikeTheJdk(String text) {
    assertThat(Timestamps.parse(text)).isEqualTo(Instant.parse(text.toUpperCase(Locale.ROOT)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-05-04T12:00:00+02:00", "2026-05-04T10:00:00.5-00:30"})
  void offsetsParseThroughTheGeneralParser(String text) {
    assertThat(Timestamps.parse(text)).isEqualTo(OffsetDateTime.parse(text).toInstant());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "yesterday",
        "2026-02-30T10:00:00Z",
        "2026-05-04T25:00:00Z",
        "2026-13-04T10:00:00Z",
        "2026-05-04T10:00:00.1234567890Z",
        "2026-05-04 10:00:00"
      })
  void nonsenseIsNull(String text) {
    assertThat(Timestamps.parse(text)).isNull();
  }

  /** format writes what Instant.toString writes, whatever the fraction, and parse reads it back. */
  @Test
  void formatWritesWhatInstantToStringWrites() {
    Random random = new Random(3);
    long year10000 = Instant.parse("+10000-01-01T00:00:00Z").getEpochSecond();
    for (int i = 0; i < 100_000; i++) {
      long seconds =
          switch (i % 4) {
            case 0 -> random.nextLong(0, year10000); // any time the fast path takes
            case 1 -> 1_777_000_000L + random.nextInt(100_000_000); // audit logs' years
            case 2 ->
                random.nextLong(-year10000 - 62_167_219_200L, 0); // before 1970, before year 0
            default -> year10000 + random.nextLong(0, 1_000_000_000_000L); // from the year 10000
          };
      int nano =
          switch (i % 5) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
          };
      Instant t = Instant.ofEpochSecond(seconds, nano);
      assertThat(Timestamps.format(t)).isEqualTo(t.toString());
      if (seconds >= 0 && seconds < year10000) {
        assertThat(Timestamps.parse(Timestamps.format(t))).isEqualTo(t);
      }
    }
    for (String edge :
        new String[] {
          "1970-01-01T00:00:00Z",
          "1970-01-01T00:00:00.000000001Z",
          "2024-02-29T23:59:59.999999999Z",
          "2026-05-04T10:00:00.001231Z",
          "2026-05-04T10:00:00.100Z",
          "9999-12-31T23:59:59.999Z",
          "1969-12-31T23:59:59.5Z",
          "0000-01-01T00:00:00Z",
          "-0001-12-31T23:59:59Z",
          "+10000-01-01T00:00:00Z"
        }) {
      Instant t = Instant.parse(edge);
      assertThat(Timestamps.format(t)).isEqualTo(t.toString());
    }
    assertThat(Timestamps.format(Instant.MIN)).isEqualTo(Instant.MIN.toString());
    assertThat(Timestamps.format(Instant.MAX)).isEqualTo(Instant.MAX.toString());
  }
}
