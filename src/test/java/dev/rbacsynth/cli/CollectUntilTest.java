package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Cli;
import dev.rbacsynth.HkermaAuditLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * review8 F12: {@code collect --until} used to record a file as read to its end although it kept
 * nothing past the window, so a later collect of the same log into that ledger lost the rest. A
 * file with a registry is now read only up to its first line received at or after {@code --until}
 * (real hkerma log: 1625 events between 18:30 and 18:31, 14 938 after), and the next collect reads
 * on from there.
 */
class CollectUntilTest {
  private static final String SINCE = "2023-01-27T18:30:00Z";
  private static final String UNTIL = "2023-01-27T18:31:00Z";

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aLaterCollectReadsOnFromTheWindowsEndAndCountsEveryEventOnce(boolean gzip)
      throws IOException {
    String log = gzip ? "testdata/hkerma/audit.log.gz" : HkermaAuditLog.jsonl().toString();
    Path windowed = dir.resolve("win.json");
    Cli.Result r =
        Cli.run(
            "collect",
            "-f",
            log,
            "--since",
            SINCE,
            "--until",
            UNTIL,
            "--output-file",
            windowed.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err())
        .contains(
            "note: --until "
                + UNTIL
                + ": 1 file(s) read up to their first event received at or after it")
        .doesNotContain("warning");
    String win = Files.readString(windowed);
    // 1625 records were received in the window; 4 of them are logged after the first line received
    // at 18:31 (the log is not in time order): they are left, with that line, for the next run
    assertThat(win).contains("\"ranges\":[[0,7081535]]").contains("\"events\": 1621,");

    // the rest of the log, collected into that ledger: the same as the log collected from --since
    Path again = dir.resolve("again.json");
    Cli.Result more =
        Cli.run(
            "collect",
            "-q",
            "-f",
            log,
            "--usage",
            windowed.toString(),
            "--output-file",
            "" + again);
    assertThat(more.exit()).as(more.err()).isZero();
    Path once = dir.resolve("once.json");
    Cli.Result ref =
        Cli.run("collect", "-q", "-f", log, "--since", SINCE, "--output-file", "" + once);
    assertThat(ref.exit()).as(ref.err()).isZero();
    assertThat(Files.readString(again)).isEqualTo(Files.readString(once));
    assertThat(Files.readString(again)).contains("\"ranges\":[[0,10507536]]");

    // and again: nothing new
    Cli.Result nothing =
        Cli.run("collect", "-f", log, "--usage", "" + again, "--output-file", "" + again);
    assertThat(nothing.err()).contains("read 0 new record(s)");
    assertThat(Files.readString(again)).isEqualTo(Files.readString(once));
  }

  @Test
  void aWindowEndingAfterTheLogReadsItWholeAndSaysNothing() {
    Cli.Result whole =
        Cli.run(
            "collect",
            "-f",
            HkermaAuditLog.jsonl().toString(),
            "--until",
            "2023-01-28T00:00:00Z",
            "--output-file",
            dir.resolve("whole.json").toString());
    assertThat(whole.exit()).as(whole.err()).isZero();
    assertThat(whole.err()).doesNotContain("--until");
  }

  @Test
  void standardInputCannotBeReadOnLaterSoItsEventsPastTheWindowAreCountedInAWarning()
      throws IOException {
    byte[] log = Files.readAllBytes(HkermaAuditLog.jsonl());
    Cli.Result r =
        Cli.runWithStdin(
            log,
            "collect",
            "-f",
            "-",
            "--until",
            UNTIL,
            "--output-file",
            dir.resolve("stdin.json").toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err())
        .contains("warning: --until " + UNTIL + ": ")
        .contains("record(s) received at or after it were read and dropped")
        .doesNotContain("file(s) read up to");
  }
}
