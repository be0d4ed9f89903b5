package dev.rbacsynth.fuzz;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.read.LinePrefilter;
import dev.rbacsynth.read.ReadProblem;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the audit-log reader ({@code AuditLogReader} with every envelope adapter) on all its input
 * layouts: JSON lines, a JSON array or stream, an {@code EventList}, YAML, and each of them gzipped
 * (whole or cut short). Whatever the bytes, reading must not throw (an {@code InputException} is
 * for I/O errors, and there are none in memory), must not hang (the timeout below is also Jazzer's
 * per-input timeout), must report each unusable record as a one-line problem, and must not lose a
 * valid event because a neighbouring line is bad.
 *
 * <p>A plain {@code mvn test} runs these tests in regression mode: each file under {@code
 * src/test/resources/dev/rbacsynth/fuzz/AuditLogReaderFuzzTestInputs/<method>/} (real samples from
 * {@code testdata/} and the reproducers of past findings) is run once. Fuzzing is started by hand,
 * one method per run (Jazzer fuzzes a single {@code @FuzzTest} per JVM):
 *
 * <pre>
 * mvn -B -Pfuzz test -Dtest='AuditLogReaderFuzzTest#anyInputIsReadOrReported' -Dfuzz.duration=60s
 * mvn -B -Pfuzz test -Dtest='AuditLogReaderFuzzTest#validEventsAroundABadLineAreKept' -Dfuzz.duration=60s
 * </pre>
 *
 * The generated corpus goes to {@code .cifuzz-corpus/}; a crashing input is written to the inputs
 * directory above, where the next {@code mvn test} replays it.
 */
@Timeout(30) // per input: JUnit applies it in regression mode, Jazzer passes it to libFuzzer
class AuditLogReaderFuzzTest {

  private static final List<String> DEMO = Reading.demoLines();
  private static final Map<String, AuditEvent> ALONE = new ConcurrentHashMap<>();

  /**
   * The first byte chooses the layout that wraps the rest: bits 0-1 raw / inside an {@code
   * EventList} / inside a JSON array / as a YAML document; bit 2 gzip; bit 3 (with gzip) drops the
   * last third of the compressed bytes.
   */
  @FuzzTest
  void anyInputIsReadOrReported(byte @NotNull [] data) {
    if (data.length == 0) {
      return;
    }
    int choice = data[0] & 0xff;
    byte[] payload = Arrays.copyOfRange(data, 1, data.length);
    byte[] input =
        switch (choice & 3) {
          case 0 -> payload;
          case 1 ->
              Reading.concat(
                  "{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"items\":["
                      .getBytes(UTF_8),
                  payload,
                  "]}".getBytes(UTF_8));
          case 2 -> Reading.concat("[".getBytes(UTF_8), payload, "]".getBytes(UTF_8));
          default -> Reading.concat("---\n".getBytes(UTF_8), payload);
        };
    if ((choice & 4) != 0) {
      input = Reading.gzip(input);
      if ((choice & 8) != 0) {
        input = Arrays.copyOf(input, input.length * 2 / 3);
      }
    }

    Reading.Result result = Reading.read(input, LinePrefilter.ALL);

    for (ReadProblem problem : result.problems()) {
      assertOneLine(problem.format());
    }
    assertEquals(result.events().size(), result.stats().events.sum(), "events counted");
    assertEquals(result.problems().size(), result.stats().problems.sum(), "problems counted");
  }

  /**
   * Two real events from {@code testdata/demo.log} with fuzzed bytes between them, as JSON lines:
   * both events must come out, at their lines. Byte 0 picks the events, bit 0 of byte 1 gzips the
   * log, the rest is the bad line (which may hold line breaks of its own).
   */
  @FuzzTest
  void validEventsAroundABadLineAreKept(byte @NotNull [] data) {
    if (data.length < 2) {
      return;
    }
    String before = DEMO.get((data[0] & 0xff) % DEMO.size());
    String after = DEMO.get(((data[0] & 0xff) * 7 + 3) % DEMO.size());
    byte[] bad = Arrays.copyOfRange(data, 2, data.length);
    byte[] log =
        Reading.concat((before + "\n").getBytes(UTF_8), bad, ("\n" + after + "\n").getBytes(UTF_8));
    if ((data[1] & 1) != 0) {
      log = Reading.gzip(log);
    }
    long afterLine = 3;
    for (byte b : bad) {
      if (b == '\n') {
        afterLine++;
      }
    }

    List<Reading.Located> events = Reading.read(log, LinePrefilter.ALL).events();

    assertTrue(events.size() >= 2, () -> "events lost: " + events);
    Reading.Located first = events.get(0);
    Reading.Located last = events.get(events.size() - 1);
    assertEquals(1, first.location().line());
    assertEquals(alone(before), first.event());
    assertEquals(afterLine, last.location().line());
    assertEquals(alone(after), last.event());
  }

  /** The event a demo line holds when read on its own. */
  private static AuditEvent alone(String line) {
    return ALONE.computeIfAbsent(
        line,
        l -> {
          List<Reading.Located> events =
              Reading.read(l.getBytes(UTF_8), LinePrefilter.ALL).events();
          assertEquals(1, events.size(), l);
          return events.get(0).event();
        });
  }

  static void assertOneLine(String message) {
    assertTrue(
        message.lines().count() <= 1, () -> "message spans lines: " + message.replace("\n", "⏎"));
  }
}
