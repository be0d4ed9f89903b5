package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Cli;
import dev.rbacsynth.HkermaAuditLog;
import dev.rbacsynth.Reports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.ThrowingConsumer;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Every authenticated user and service account of the real hkerma audit log (45 of its 46 names;
 * RBAC is never generated for system:anonymous): the RBAC generate writes allows all of the
 * subject's requests and every rule of it is needed (generate --verify), and diff agrees: against
 * the strictly least-privilege RBAC (--exact) nothing observed is missing and nothing granted is
 * unused.
 */
class GenerateVerifyHkermaTest {

  @TempDir Path tmp;

  /** One dynamic test per subject of the log (system:anonymous excepted), named after it. */
  private static Stream<DynamicTest> forEverySubject(ThrowingConsumer<String> check) {
    assertThat(HkermaAuditLog.usersByActivity()).hasSize(46);
    return HkermaAuditLog.usersByActivity().keySet().stream()
        .filter(u -> !u.equals("system:anonymous"))
        .map(user -> DynamicTest.dynamicTest(user, () -> check.accept(user)));
  }

  @TestFactory
  Stream<DynamicTest> generatedRbacIsProvedForEverySubject() {
    String log = HkermaAuditLog.jsonl().toString();
    return forEverySubject(
        user -> {
          Cli.Result r = Cli.generate(log, user, "--verify");
          assertThat(r.exit()).as(r.err()).isZero();
          assertThat(r.err())
              .containsPattern(
                  "verified: all \\d+ selected requests are allowed, each of the "
                      + "generated rules is needed and no rule has a wildcard");
        });
  }

  /** Under --exact, --verify also proves that no generated rule allows an unobserved check. */
  @TestFactory
  Stream<DynamicTest> exactRbacIsProvedTightForEverySubject() {
    String log = HkermaAuditLog.jsonl().toString();
    return forEverySubject(
        user -> {
          Cli.Result r = Cli.generate(log, user, "--exact", "--verify");
          assertThat(r.exit()).as(r.err()).isZero();
          assertThat(r.err())
              .contains("no rule allows anything that was not observed")
              .doesNotContain("wider than observed");
        });
  }

  @TestFactory
  Stream<DynamicTest> diffFindsNothingMissingOrUnusedInTheExactRbacOfEverySubject() {
    String log = HkermaAuditLog.jsonl().toString();
    return forEverySubject(
        user -> {
          Cli.Result generated = Cli.generate(log, user, "--exact", "-q");
          assertThat(generated.exit()).isZero();
          Path rbac =
              Files.writeString(
                  tmp.resolve("generated.yaml"),
                  generated.out().isEmpty() ? "---\n" : generated.out());
          Cli.Result diff =
              Cli.run(
                  "diff",
                  "--rbac",
                  rbac.toString(),
                  "-f",
                  log,
                  "--user",
                  user,
                  "-o",
                  "json",
                  "-q",
                  "--fail-on",
                  "missing,unused");
          JsonNode report = Reports.json(diff.out());
          assertThat(report.get("missing")).as(user).isEmpty();
          assertThat(report.get("unused")).as(user).isEmpty();
          assertThat(diff.exit()).isZero();
        });
  }
}
