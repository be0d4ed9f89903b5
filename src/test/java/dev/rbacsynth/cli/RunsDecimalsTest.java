package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The summary line's sizes and seconds are written as {@code %.1f} and {@code %.2f} wrote them. */
class RunsDecimalsTest {

  @Test
  void decimalsAreWhatTheFormatterWrote() {
    Random random = new Random(16);
    for (int i = 0; i < 20_000; i++) {
      double value =
          switch (i % 4) {
            case 0 -> random.nextDouble() * 100;
            case 1 -> random.nextInt(100_000) / 1e6; // bytes as MB
            case 2 -> random.nextLong(10_000_000_000L) / 1e9; // nanoseconds as seconds
            default -> Math.round(random.nextDouble() * 10_000) / 1000.0 + 0.05; // ties
          };
      for (int decimals = 1; decimals <= 2; decimals++) {
        assertThat(Runs.decimals(value, decimals))
            .as("%s with %d decimals", value, decimals)
            .isEqualTo(String.format(Locale.ROOT, "%." + decimals + "f", value));
      }
    }
    assertThat(Runs.decimals(0, 1)).isEqualTo("0.0");
    assertThat(Runs.decimals(0.05, 1)).isEqualTo("0.1");
    assertThat(Runs.decimals(1234567.891, 2)).isEqualTo("1234567.89");
  }
}
