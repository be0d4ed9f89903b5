package dev.rbacsynth.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Observations merge as a ledger needs: earliest from, latest to, summed events, per cluster. */
class ObservationTest {
  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  @Test
  void mergeIsCommutativeAndAssociativePerCluster() {
    Observation a = Observation.of(T0, T0.plusSeconds(3600), 10).forCluster("prod");
    Observation b = Observation.of(T0.minusSeconds(60), T0.plusSeconds(60), 5).forCluster("dev");
    Observation c =
        Observation.of(T0.plusSeconds(7200), T0.plusSeconds(9000), 1).forCluster("prod");
    Observation abc = a.merge(b).merge(c);
    assertThat(abc).isEqualTo(c.merge(a.merge(b))).isEqualTo(b.merge(c).merge(a));
    assertThat(abc.from()).isEqualTo(T0.minusSeconds(60));
    assertThat(abc.to()).isEqualTo(T0.plusSeconds(9000));
    assertThat(abc.events()).isEqualTo(16);
    assertThat(abc.clusters().keySet()).containsExactly("dev", "prod");
    assertThat(abc.clusters().get("prod")).isEqualTo(Observation.of(T0, T0.plusSeconds(9000), 11));
    assertThat(abc.length()).isEqualTo(Duration.ofSeconds(9060));
  }

  @Test
  void noTimesMeansAnUnknownWindow() {
    Observation none = Observation.of(null, null, 3);
    assertThat(none.known()).isFalse();
    assertThat(none.length()).isZero();
    assertThat(none.merge(Observation.of(T0, T0, 1))).isEqualTo(Observation.of(T0, T0, 4));
    assertThat(Observation.NONE.merge(none)).isEqualTo(none);
  }
}
