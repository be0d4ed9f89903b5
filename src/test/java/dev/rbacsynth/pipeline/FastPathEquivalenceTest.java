package dev.rbacsynth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.aggregate.Observation;
import dev.rbacsynth.aggregate.ObservedUsage;
import dev.rbacsynth.attributes.Outcome;
import dev.rbacsynth.bench.AuditLogGenerator;
import dev.rbacsynth.kube.Subject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The byte pre-filter and the parallel segments are shortcuts: they must never change the result. A
 * generated log with the subject's name hidden behind JSON escapes is read both ways and must give
 * the same usage, counts and problems.
 */
class FastPathEquivalenceTest {
  @TempDir static Path dir;
  static Path log;

  @BeforeAll
  static void writeLog() throws IOException {
    log = dir.resolve("audit.log");
    AuditLogGenerator.write(log, 6_000_000, 11, 3);
    List<String> sample = Files.readAllLines(log).subList(0, 400);
    StringBuilder extra = new StringBuilder();
    for (String line : sample) {
      if (line.contains(AuditLogGenerator.SUBJECT)) {
        // The same requests with the name written with escapes: \u0065 is "e", \/ is "/", in new
        // namespaces.
        extra
            .append(
                line.replace("shop:web", "shop:w\\u0065b")
                    .replace("\"auditID\":\"", "\"auditID\":\"x")
                    .replace("\"namespace\":\"", "\"namespace\":\"esc-")
                    .replace("/namespaces/", "/namespaces/esc-"))
            .append('\n');
      }
    }
    extra.append("{\"kind\":\"Event\",\"user\":{\"username\":\"someone-else\"\n"); // a torn line
    Files.writeString(log, extra, StandardOpenOption.APPEND);
    AuditLogGenerator.write(dir.resolve("tail.log"), 2_000_000, 12, 3);
    Files.write(log, Files.readAllBytes(dir.resolve("tail.log")), StandardOpenOption.APPEND);
  }

  private record Read(
      ObservedUsage usage, String problems, long records, Observation observation) {}

  private static Read read(boolean fast) {
    StringWriter err = new StringWriter();
    Subject web = new Subject.ServiceAccount("shop", "web");
    UsageReader.Result result =
        reader(fast).messages(new PrintWriter(err, true)).maxProblemsShown(1000).read(web);
    return new Read(
        result.usage(web), err.toString(), result.stats().records.sum(), result.observation());
  }

  /** The whole log, pre-filtered in parallel small segments or fully parsed by one reader. */
  private static UsageReader reader(boolean fast) {
    return UsageReader.of(List.of(log.toString()))
        .stdin(new ByteArrayInputStream(new byte[0]))
        .plan(fast, fast ? 3 : 1, 1 << 20);
  }

  private static Map<String, String> summary(ObservedUsage usage) {
    Map<String, String> out = new TreeMap<>();
    usage
        .requests()
        .forEach(
            (r, u) ->
                out.put(
                    r.toString(),
                    u.total().count()
                        + " "
                        + u.stats(Outcome.RBAC_DENIED).count()
                        + " "
                        + u.total().first()
                        + " "
                        + u.total().last()
                        + " "
                        + u.commonGroups()
                        + " "
                        + u.implication()));
    return out;
  }

  @Test
  void prefilteredParallelReadingEqualsAFullSequentialParse() {
    Read fast = read(true);
    Read full = read(false);
    assertThat(fast.usage().matchedEvents())
        .isGreaterThan(150)
        .isEqualTo(full.usage().matchedEvents());
    assertThat(summary(fast.usage())).isEqualTo(summary(full.usage()));
    assertThat(fast.usage().skippedEvents()).isEqualTo(full.usage().skippedEvents());
    assertThat(fast.records()).isEqualTo(full.records());
    // The observation window is the whole input's: the lines the pre-filter skipped count too.
    assertThat(fast.observation()).isEqualTo(full.observation());
    assertThat(fast.observation().events()).isGreaterThan(fast.usage().matchedEvents() * 10);
    // The torn line is reported at the same, true, line number both ways (the fast path only checks
    // its shape,
    // so the wording differs from the parser's).
    assertThat(locations(fast.problems())).isEqualTo(locations(full.problems())).hasSize(1);
    assertThat(fast.problems()).contains("malformed JSON");
  }

  private static List<String> locations(String problems) {
    return problems.lines().map(l -> l.substring(0, l.indexOf(": malformed"))).toList();
  }

  private record Many(Map<Subject, Map<String, String>> usages, long skippedByPrefilter) {}

  private static Many readAll(boolean fast, List<Subject> subjects) {
    UsageReader.Result result = reader(fast).read(subjects);
    Map<Subject, Map<String, String>> out = new LinkedHashMap<>();
    result.usages().forEach((subject, usage) -> out.put(subject, summary(usage)));
    return new Many(out, result.stats().skippedByPrefilter.sum());
  }

  @Test
  void severalSubjectsPrefilteredInParallelEqualAFullSequentialParse() {
    List<Subject> subjects =
        List.of(
            new Subject.ServiceAccount("shop", "web"),
            new Subject.User("ci-bot"),
            new Subject.Group("system:nodes"));
    Many fastRead = readAll(true, subjects);
    Map<Subject, Map<String, String>> fast = fastRead.usages();
    Map<Subject, Map<String, String>> full = readAll(false, subjects).usages();
    assertThat(fast).isEqualTo(full);
    assertThat(fastRead.skippedByPrefilter()).as("lines naming none of them").isPositive();
    assertThat(fast.values()).allSatisfy(usage -> assertThat(usage).hasSizeGreaterThan(20));
    assertThat(fast.get(subjects.get(0)).keySet()).anyMatch(r -> r.contains("esc-"));
  }

  @Test
  void namesHiddenBehindEscapesAreStillFound() {
    assertThat(read(true).usage().requests().keySet())
        .anyMatch(r -> r.namespace().startsWith("esc-"));
  }
}
