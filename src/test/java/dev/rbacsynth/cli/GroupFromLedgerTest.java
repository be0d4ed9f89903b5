package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Cli;
import dev.rbacsynth.HkermaAuditLog;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --group} from a usage ledger equals {@code --group} from the logs: the same roles, the
 * same counts, the same warnings. An impersonated request is the group's through one user only (the
 * impersonated one when it is a member), so neither the impersonator's checks nor its groups leak
 * into the group's role, and no event is counted twice.
 */
class GroupFromLedgerTest {
  @TempDir static Path shared;

  private static final Path DEMO = Path.of("testdata/demo.log");
  private static Path demoLedger;
  private static Path hkerma;
  private static Path hkermaLedger;

  @BeforeAll
  static void collect() {
    demoLedger = shared.resolve("demo.json");
    Cli.Result r =
        Cli.run("collect", "-f", DEMO.toString(), "--output-file", demoLedger.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    hkerma = HkermaAuditLog.jsonl();
    hkermaLedger = shared.resolve("hkerma.json");
    r = Cli.run("collect", "-f", hkerma.toString(), "--output-file", hkermaLedger.toString());
    assertThat(r.exit()).as(r.err()).isZero();
  }

  /** Standard error without the reading time, which differs from run to run. */
  private static String stable(String err) {
    return err.replaceAll(" in [0-9.]+ s;", " in - s;")
        .replaceAll("read [0-9]+ records \\([0-9.]+ MB\\)", "read INPUT")
        .replaceAll("read 1 usage ledger\\(s\\)", "read INPUT");
  }

  private static void same(String command, Path log, Path ledger, String group, String... more) {
    List<String> tail = Stream.concat(Stream.of("--group", group), Stream.of(more)).toList();
    Cli.Result fromLog =
        Cli.run(
            Stream.concat(Stream.of(command, "-f", log.toString()), tail.stream())
                .toArray(String[]::new));
    Cli.Result fromLedger =
        Cli.run(
            Stream.concat(Stream.of(command, "--usage", ledger.toString()), tail.stream())
                .toArray(String[]::new));
    assertThat(fromLedger.exit()).as(fromLedger.err()).isEqualTo(fromLog.exit());
    assertThat(fromLedger.out()).isEqualTo(fromLog.out());
    assertThat(stable(fromLedger.err())).isEqualTo(stable(fromLog.err()));
  }

  @Test
  void anImpersonatorsChecksAndGroupsStayOutOfTheImpersonatedUsersGroup() {
    Cli.Result r =
        Cli.run("generate", "--usage", demoLedger.toString(), "--group", "system:authenticated");
    assertThat(r.out()).doesNotContain("impersonate");
    assertThat(r.err())
        .contains("37 events matched (29 distinct requests)")
        .doesNotContain("system:masters");
    same("generate", DEMO, demoLedger, "system:authenticated");
  }

  @TestFactory
  Stream<DynamicTest> generateFromTheLedgerEqualsGenerateFromTheLogForGroups() {
    return Stream.of(
            "system:authenticated",
            "system:masters",
            "system:serviceaccounts",
            "system:serviceaccounts:ns1",
            "system:nodes",
            "system:serviceaccounts:kube-system")
        .map(
            g ->
                DynamicTest.dynamicTest(
                    g,
                    () -> {
                      same("generate", DEMO, demoLedger, g);
                      same("generate", hkerma, hkermaLedger, g);
                    }));
  }

  @Test
  void diffOfAGroupFromTheLedgerEqualsDiffFromTheLog() {
    same("diff", DEMO, demoLedger, "system:authenticated", "-o", "json");
    same("diff", hkerma, hkermaLedger, "system:nodes", "-o", "json");
  }
}
