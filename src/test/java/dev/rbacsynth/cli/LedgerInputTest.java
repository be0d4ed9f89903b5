package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Cli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * Ledgers as input where a user review found them second-class: {@code subjects --usage}, the
 * did-you-mean of a subject not in a ledger, the first run of the README's cron line, a window that
 * holds none of a ledger, and input with no usable event. Real data: testdata/demo.log split in two
 * parts as the reviewer did (lines 1-18 and 19-37), and the hkerma CSV export.
 */
class LedgerInputTest {
  private static final Path DEMO = Path.of("testdata/demo.log");
  private static final Path CSV = Path.of("testdata/hkerma/audit-logs.csv");

  @TempDir static Path shared;
  @TempDir Path tmp;

  private static Path a;
  private static Path b;
  private static Path whole;
  private static Path lb;
  private static Path lab;

  @BeforeAll
  static void split() throws IOException {
    List<String> lines = Files.readAllLines(DEMO);
    assertThat(lines).hasSize(37);
    a = shared.resolve("a.log");
    b = shared.resolve("b.log");
    Files.write(a, lines.subList(0, 18));
    Files.write(b, lines.subList(18, 37));
    whole = shared.resolve("u1.json");
    lb = shared.resolve("lb.json");
    lab = shared.resolve("lab.json");
    for (String[] args :
        List.of(
            new String[] {"collect", "-f", DEMO.toString(), "--output-file", whole.toString()},
            new String[] {"collect", "-f", b.toString(), "--output-file", lb.toString()},
            new String[] {
              "collect", "-f", a.toString(), "-f", b.toString(), "--output-file", lab.toString()
            })) {
      Cli.Result r = Cli.run(args);
      assertThat(r.exit()).as(r.err()).isZero();
    }
  }

  @Test
  void subjectsOfALedgerAreTheSubjectsOfItsLog() {
    for (String o : List.of("text", "json")) {
      Cli.Result fromLog = Cli.run("subjects", "-f", DEMO.toString(), "-o", o);
      Cli.Result fromLedger = Cli.run("subjects", "--usage", whole.toString(), "-o", o);
      assertThat(fromLedger.exit()).as(fromLedger.err()).isZero();
      assertThat(fromLedger.out()).isEqualTo(fromLog.out()).contains("alice");
    }
  }

  @Test
  void subjectsOfALogAndALedgerListBoth() {
    Cli.Result both = Cli.run("subjects", "-f", a.toString(), "--usage", lb.toString());
    assertThat(both.exit()).as(both.err()).isZero();
    // b.log alone holds alice's requests
    assertThat(Cli.run("subjects", "-f", a.toString()).out()).doesNotContain("alice");
    assertThat(both.out()).isEqualTo(Cli.run("subjects", "-f", DEMO.toString()).out());
  }

  @Test
  void aMistypedUserInALedgerGetsDidYouMean() {
    Cli.Result r = Cli.run("generate", "--usage", lab.toString(), "--user", "bobb");
    assertThat(r.exit()).isEqualTo(ExitCodes.NO_MATCH);
    assertThat(r.err()).contains("did you mean --user bob?").doesNotContain("subjects -f");
  }

  @Test
  void theFirstRunOfTheCronLineStartsANewLedger() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("audit"));
    Files.copy(DEMO, dir.resolve("audit.log"));
    Path ledger = Files.createDirectories(tmp.resolve("cron")).resolve("usage.json.gz");
    Cli.Result first =
        Cli.run(
            "collect",
            "-f",
            dir.toString(),
            "--usage",
            ledger.toString(),
            "--output-file",
            ledger.toString(),
            "--cluster",
            "prod");
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.err()).contains("starting a new ledger");
    assertThat(Files.exists(ledger)).isTrue();
    Cli.Result again =
        Cli.run(
            "collect",
            "-q",
            "-f",
            dir.toString(),
            "--usage",
            ledger.toString(),
            "--output-file",
            ledger.toString(),
            "--cluster",
            "prod");
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.err()).isEmpty();
    // a missing --usage that is not the output is still an error
    Cli.Result other =
        Cli.run(
            "collect",
            "-f",
            dir.toString(),
            "--usage",
            tmp.resolve("nope.json").toString(),
            "--output-file",
            tmp.resolve("out.json").toString());
    assertThat(other.exit()).isEqualTo(ExitCodes.USAGE_OR_INPUT);
    assertThat(other.err()).contains("nope.json");
  }

  @Test
  void aWindowThatHoldsNoneOfTheLedgerSaysSo() throws IOException {
    String since = "2026-11-04T00:00:00Z";
    Cli.Result collect =
        Cli.run(
            "collect",
            "--usage",
            lab.toString(),
            "--since",
            since,
            "--output-file",
            tmp.resolve("w.json").toString());
    assertThat(collect.err())
        .contains("holds none of the input's 37 event(s)")
        .contains("from 2017-09-11T19:55:05Z to 2017-09-11T20:29:04Z")
        .doesNotContain("from 2026-11-04")
        .doesNotContain("null");
    Path rbac = tmp.resolve("rbac.yaml");
    Files.writeString(rbac, Cli.run("generate", "-f", DEMO.toString(), "--user", "bob").out());
    for (List<String> command :
        List.of(List.of("generate"), List.of("diff", "--rbac", rbac.toString()))) {
      List<String> args = new ArrayList<>(command);
      args.addAll(List.of("--usage", lab.toString(), "--user", "bob", "--since", since));
      Cli.Result r = Cli.run(args.toArray(String[]::new));
      assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.NO_MATCH);
      assertThat(r.err()).contains("holds none of the input's 37 event(s)");
    }
  }

  @Test
  void aWindowWidenedToWholeDaysOnALedgerIsSaidOnce() {
    Cli.Result widened =
        Cli.run(
            "generate",
            "--usage",
            lab.toString(),
            "--user",
            "bob",
            "--since",
            "2017-09-11T20:00:00Z");
    assertThat(widened.exit()).as(widened.err()).isZero();
    assertThat(widened.err().split("widened", -1)).hasSize(2);
    assertThat(widened.err()).contains("from 2017-09-11T00:00:00Z to the end");
    Cli.Result whole =
        Cli.run(
            "generate",
            "--usage",
            lab.toString(),
            "--user",
            "bob",
            "--since",
            "2017-09-11T00:00:00Z");
    assertThat(whole.err()).doesNotContain("widened");
  }

  @Test
  void collectOfAnInputWithNoAuditEventFailsAsGenerateDoes() {
    Cli.Result generate = Cli.run("generate", "-f", CSV.toString(), "--user", "bob");
    Cli.Result collect =
        Cli.run("collect", "-f", CSV.toString(), "--output-file", tmp.resolve("x.json").toString());
    assertThat(collect.exit()).isEqualTo(ExitCodes.USAGE_OR_INPUT).isEqualTo(generate.exit());
    assertThat(collect.err()).contains("error: no audit event in the input").doesNotContain("null");
    assertThat(Files.exists(tmp.resolve("x.json"))).isFalse();
  }

  @Test
  void aLedgerCountsEveryUnusableRecordAndGenerateSaysSo() {
    Path ledger = tmp.resolve("bad.json");
    Cli.Result collect =
        Cli.run(
            "collect",
            "-f",
            DEMO.toString(),
            "-f",
            CSV.toString(),
            "--output-file",
            ledger.toString());
    assertThat(collect.exit()).as(collect.err()).isZero();
    Cli.Result fromLog =
        Cli.run("generate", "-f", DEMO.toString(), "-f", CSV.toString(), "--user", "bob");
    long skipped = unusable(fromLog.err());
    assertThat(skipped).isGreaterThan(100);
    long inLedger =
        JsonMapper.builder()
            .build()
            .readTree(ledger.toFile())
            .get("observation")
            .get("badRecords")
            .asLong();
    // collect reads whole lines only: the CSV's last line has no newline yet, so it waits for the
    // next run (a live log's last line may be half written); every other one is counted
    assertThat(inLedger).isEqualTo(skipped - 1);
    Cli.Result fromLedger = Cli.run("generate", "--usage", ledger.toString(), "--user", "bob");
    assertThat(fromLedger.exit()).as(fromLedger.err()).isZero();
    assertThat(unusable(fromLedger.err())).isEqualTo(inLedger);
  }

  @Test
  void aLedgerGoesToStandardOutputThroughDevStdoutIntoAPipe() throws Exception {
    Cli.Result dash = Cli.run("collect", "-f", DEMO.toString(), "--output-file", "-");
    assertThat(dash.exit()).isEqualTo(ExitCodes.USAGE_OR_INPUT);
    assertThat(dash.err())
        .contains("/dev/stdout writes to standard output")
        .doesNotContain("without --output-file");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
            java,
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            "dev.rbacsynth.cli.RbacSynth",
            "collect",
            "-q",
            "-f",
            DEMO.toString(),
            "--output-file",
            "/dev/stdout");
    builder.redirectError(tmp.resolve("err.txt").toFile());
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    Process process = builder.start(); // standard output is a pipe to this test
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(Files.readString(tmp.resolve("err.txt"))).isZero();
    assertThat(out).isEqualTo(Files.readString(whole));
  }

  private static long unusable(String err) {
    Matcher m = Pattern.compile("; (\\d+) unusable record\\(s\\) skipped").matcher(err);
    assertThat(m.find()).as(err).isTrue();
    return Long.parseLong(m.group(1));
  }
}
