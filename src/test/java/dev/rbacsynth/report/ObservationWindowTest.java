package dev.rbacsynth.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.aggregate.Observation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the window is worded in every output. */
class ObservationWindowTest {
  private static final Instant T0 = Instant.parse("2023-01-27T18:28:08Z");

  private static ObservationWindow window(Duration length, Duration minimum) {
    return new ObservationWindow(Observation.of(T0, T0.plus(length), 42), minimum);
  }

  /** Times are Instant.toString's text (Timestamps.format, tested there for every era). */
  @Test
  void timesAreWrittenAsInstantToStringWritesThem() {
    for (Instant t : List.of(T0, Instant.EPOCH, Instant.parse("2024-02-29T00:00:00.000001Z"))) {
      assertThat(ObservationWindow.time(t)).as("%s", t).isEqualTo(t.toString());
    }
    assertThat(ObservationWindow.time(null)).isNull();
  }

  @Test
  void lengthsAreWordedInTheirLargestUnits() {
    assertThat(ObservationWindow.human(Duration.ofSeconds(237))).isEqualTo("3m57s");
    assertThat(ObservationWindow.human(Duration.ofDays(7))).isEqualTo("7d");
    assertThat(ObservationWindow.human(Duration.ofHours(26).plusSeconds(5))).isEqualTo("1d2h");
    assertThat(ObservationWindow.human(Duration.ZERO)).isEqualTo("0s");
    assertThat(window(Duration.ofSeconds(237), Duration.ZERO).phrase())
        .isEqualTo("the 3-minute window");
    assertThat(window(Duration.ofDays(30), Duration.ZERO).phrase()).isEqualTo("the 30-day window");
    assertThat(window(Duration.ofHours(30), Duration.ZERO).phrase())
        .isEqualTo("the 30-hour window");
  }

  @Test
  void aWindowShorterThanTheMinimumIsWarnedAbout() {
    ObservationWindow shortOne = window(Duration.ofSeconds(237), ObservationWindow.DEFAULT_MINIMUM);
    assertThat(shortOne.header())
        .isEqualTo("2023-01-27T18:28:08Z to 2023-01-27T18:32:05Z (3m57s), 42 audit event(s)");
    assertThat(shortOne.isShort()).isTrue();
    assertThat(shortOne.warning())
        .startsWith("the observation window is only 3m57s, under --min-window 7d")
        .contains("may miss rare requests");
    ObservationWindow longOne = window(Duration.ofDays(8), ObservationWindow.DEFAULT_MINIMUM);
    assertThat(longOne.isShort()).isFalse();
    assertThat(longOne.warning()).isEmpty();
    assertThat(new ObservationWindow(Observation.of(null, null, 0), Duration.ZERO).isShort())
        .as("an unknown window is never long enough")
        .isTrue();
  }

  @Test
  void clustersAreListedWhenKnown() {
    Observation fleet =
        Observation.of(T0, T0.plusSeconds(60), 2)
            .forCluster("a")
            .merge(Observation.of(T0.plusSeconds(30), T0.plusSeconds(90), 3).forCluster("b"));
    assertThat(new ObservationWindow(fleet, Duration.ZERO).header())
        .isEqualTo(
            "2023-01-27T18:28:08Z to 2023-01-27T18:29:38Z (1m30s), 5 audit event(s); "
                + "cluster a: 2023-01-27T18:28:08Z to 2023-01-27T18:29:08Z (1m), 2 audit event(s); "
                + "cluster b: 2023-01-27T18:28:38Z to 2023-01-27T18:29:38Z (1m), 3 audit event(s)");
  }
}
