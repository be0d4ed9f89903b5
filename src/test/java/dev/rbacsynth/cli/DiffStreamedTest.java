package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Cli;
import dev.rbacsynth.HkermaAuditLog;
import dev.rbacsynth.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code diff --all-subjects -o json} writes each subject's review as it is made (issue 15 §4: 100
 * 000 subjects do not fit in the heap as one document). What it writes, on stdout and with
 * --output-file, its summary lines, baseline line and exit code are those of the renderer over the
 * list of all reviews, which a --report file still uses: real RBAC and a real audit log.
 */
class DiffStreamedTest {
  @TempDir Path tmp;

  private static List<String> args(String... more) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "diff",
                "-f",
                HkermaAuditLog.jsonl().toString(),
                "--all-subjects",
                "--rbac",
                TestData.BOOTSTRAP,
                "--rbac",
                TestData.FLANNEL,
                "--rbac",
                TestData.GATEKEEPER,
                "--rbac",
                TestData.KUBE_PROXY_BINDING));
    all.addAll(List.of(more));
    return all;
  }

  private static Cli.Result run(List<String> args) {
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void theStreamedReportIsTheListRenderersByteForByte() throws Exception {
    for (String format : List.of("json", "text")) {
      theStreamedReportIsTheListRenderers(format);
    }
  }

  private void theStreamedReportIsTheListRenderers(String format) throws Exception {
    for (List<String> gate :
        List.<List<String>>of(
            List.of("--fail-on", "none"), List.of(), List.of("--fail-on", "missing,risky"))) {
      List<String> streamedArgs = new ArrayList<>(args("-o", format));
      streamedArgs.addAll(gate);
      Cli.Result streamed = run(streamedArgs);
      // a --report file makes diff keep the reviews and render the list
      Path text = tmp.resolve("report.other");
      List<String> listArgs = new ArrayList<>(streamedArgs);
      listArgs.addAll(List.of("--report", (format.equals("json") ? "text=" : "json=") + text));
      Cli.Result list = run(listArgs);
      assertThat(Files.exists(text)).isTrue();
      assertThat(streamed.out())
          .as("%s %s", format, gate)
          .isEqualTo(list.out())
          .contains(format.equals("json") ? "\"reports\"" : "TOTAL: ");
      assertThat(streamed.out()).endsWith(format.equals("json") ? "}\n" : "\n");
      assertThat(streamed.err()).as("%s", gate).isEqualTo(list.err()).contains("TOTAL: ");
      assertThat(streamed.exit()).as("%s", gate).isEqualTo(list.exit());

      Path file = tmp.resolve("report." + format);
      List<String> toFile = new ArrayList<>(streamedArgs);
      toFile.addAll(List.of("--output-file", file.toString()));
      Cli.Result written = run(toFile);
      assertThat(written.out()).isEmpty();
      assertThat(Files.readString(file)).isEqualTo(list.out());
      assertThat(written.exit()).isEqualTo(list.exit());
    }
  }

  @Test
  void theBaselineLineIsCountedAsTheReviewsGoBy() throws Exception {
    Path baseline = tmp.resolve("baseline.json");
    Cli.Result recorded = run(args("-q", "--write-baseline", baseline.toString()));
    assertThat(recorded.exit()).as(recorded.err()).isZero();
    Cli.Result streamed = run(args("-o", "json", "--baseline", baseline.toString()));
    Cli.Result list =
        run(
            args(
                "-o",
                "json",
                "--baseline",
                baseline.toString(),
                "--report",
                "text=" + tmp.resolve("r.txt")));
    assertThat(streamed.err()).contains("baseline: ").isEqualTo(list.err());
    assertThat(streamed.out()).isEqualTo(list.out());
    assertThat(streamed.exit()).isEqualTo(list.exit()).isZero();
  }
}
