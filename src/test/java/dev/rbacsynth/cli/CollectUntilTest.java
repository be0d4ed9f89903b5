package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Cli;
import dev.rbacsynth.HkermaAuditLog;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * review8 F12: {@code collect --until} drops the lines after it but records the file as read, so a
 * later collect of the same log into that ledger cannot add them. The run says so (real hkerma log:
 * 1625 events between 18:30 and 18:31, 14 938 after).
 */
class CollectUntilTest {

  @TempDir Path dir;

  @Test
  void untilBeforeTheLogsEndWarnsThatTheRestIsLostForThisLedger() {
    String log = HkermaAuditLog.jsonl().toString();
    Path windowed = dir.resolve("win.json");
    Cli.Result r =
        Cli.run(
            "collect",
            "-q",
            "-f",
            log,
            "--since",
            "2023-01-27T18:30:00Z",
            "--until",
            "2023-01-27T18:31:00Z",
            "--output-file",
            windowed.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err())
        .contains(
            "warning: --until 2023-01-27T18:31:00Z: the events after it (up to"
                + " 2023-01-27T18:32:12.473826Z) are not kept, and the files are recorded as read");

    // what the warning is about: collecting the same log again into that ledger adds nothing
    Path again = dir.resolve("again.json");
    Cli.Result more =
        Cli.run("collect", "-f", log, "--usage", windowed.toString(), "--output-file", "" + again);
    assertThat(more.err()).contains("read 0 new record(s)").contains("1625 event(s)");

    Cli.Result whole =
        Cli.run(
            "collect",
            "-q",
            "-f",
            log,
            "--until",
            "2023-01-28T00:00:00Z",
            "--output-file",
            dir.resolve("whole.json").toString());
    assertThat(whole.err()).doesNotContain("--until");
  }
}
