package dev.rbacsynth.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
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
}
