package dev.rbacsynth.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The one reader of --since/--until and serve's ?since=. */
class TimeBoundTest {
  private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

  @Test
  void timesDatesAndDurations() {
    assertThat(TimeBound.parse("2026-12-01T08:30:00+01:00", NOW))
        .isEqualTo(Instant.parse("2026-12-01T07:30:00Z"));
    assertThat(TimeBound.parse("2026-12-01", NOW)).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
    assertThat(TimeBound.parse("30d", NOW)).isEqualTo(Instant.parse("2026-11-04T12:00:00Z"));
    assertThat(TimeBound.parse("1d12h", NOW)).isEqualTo(Instant.parse("2026-12-03T00:00:00Z"));
    assertThat(TimeBound.parse("90m", NOW)).isEqualTo(Instant.parse("2026-12-04T10:30:00Z"));
  }

  @Test
  void anythingElseIsOneLineOfWhy() {
    for (String bad : new String[] {"", "yesterday", "12", "3w", "30d ago"}) {
      assertThatThrownBy(() -> TimeBound.parse(bad, NOW))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("neither an RFC 3339 time");
    }
  }
}
