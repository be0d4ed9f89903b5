package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Cli;
import dev.rbacsynth.ledger.Ledger;
import dev.rbacsynth.ledger.LedgerJson;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ledger kept in the directory of the logs it is collected from (cron: {@code collect -f DIR
 * --usage DIR/usage.json --output-file DIR/usage.json}) is not read as a log: no "not an audit
 * Event (kind UsageLedger)" warning, no unusable record, not a source of itself (review8 F13).
 */
class LedgerNextToLogsTest {
  @TempDir Path dir;

  @Test
  void theLedgerInTheLogDirectoryIsNotALog() throws Exception {
    Files.copy(Path.of("testdata/demo.log"), dir.resolve("audit.log"));
    Path ledger = dir.resolve("usage.json");
    String[] cron = {
      "collect", "-f", "" + dir, "--usage", "" + ledger, "--output-file", "" + ledger
    };
    Cli.Result first = Cli.run(cron);
    assertThat(first.exit()).isZero();
    Cli.Result second = Cli.run(cron);
    assertThat(second.exit()).isZero();
    assertThat(second.err()).doesNotContain("not an audit Event").doesNotContain("unusable");
    Ledger l = LedgerJson.read(ledger);
    assertThat(l.observation().badRecords()).isZero();
    assertThat(l.observation().events()).isEqualTo(37);
    assertThat(l.observation().sources())
        .extracting(s -> s.name())
        .noneMatch(name -> name.endsWith("usage.json"));
    // the same ledger as collecting the log on its own
    Path alone = dir.resolve("alone").resolve("usage.json");
    Files.createDirectories(alone.getParent());
    assertThat(
            Cli.run("collect", "-f", "" + dir.resolve("audit.log"), "--output-file", "" + alone)
                .exit())
        .isZero();
    assertThat(Files.readString(ledger)).isEqualTo(Files.readString(alone));
  }
}
