package dev.rbacsynth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.read.ParallelReader;
import dev.rbacsynth.read.ReadProblem;
import dev.rbacsynth.read.RecordSink;
import dev.rbacsynth.read.SourceLocation;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15 §2: the layout is decided per record, never by the first line of a file. Each input is
 * made of real records (audit2rbac's demo log, a pretty-printed OpenShift event, a YAML event from
 * a kind cluster) with an odd record put where it once cost every event after it.
 */
class RecordLayoutTest {
  private static final Path DEMO = Path.of("testdata/demo.log");
  private static final Path PRETTY = Path.of("testdata/formats/pretty-event.json");
  private static final Path YAML = Path.of("testdata/formats/khi-oss-event.yaml");
  private static final String PRETTY_ID = "532b1164-8b26-4b49-95f2-907424a80cac";
  private static final String YAML_ID = "7a816f5c-b093-4f2f-8124-0c6083e41cd4";

  @TempDir Path dir;

  /** What a read found: the audit IDs with the line each was read at, and the problems. */
  record Found(Map<String, Long> events, List<String> problems) {}

  static Found read(Path file, boolean fast, int threads, long minSegment) {
    Map<String, Long> events = Collections.synchronizedMap(new TreeMap<>());
    List<String> problems = Collections.synchronizedList(new ArrayList<>());
    UsageReader.of(List.of(file.toString()))
        .stdin(new ByteArrayInputStream(new byte[0]))
        .plan(fast, threads, minSegment)
        .readInto(
            new RecordSink() {
              @Override
              public void event(AuditEvent event, SourceLocation location) {
                events.merge(event.auditID(), location.line(), Math::min);
              }

              @Override
              public void problem(ReadProblem problem) {
                problems.add(problem.location().line() + ": " + problem.message());
              }
            });
    return new Found(events, problems);
  }

  static Found read(Path file) {
    return read(file, true, 1, ParallelReader.MIN_SEGMENT);
  }

  private static List<String> demo() throws IOException {
    return Files.readAllLines(DEMO);
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  private static String lines(List<String> lines) {
    return String.join("\n", lines) + "\n";
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[]",
        "{}",
        "# exported by the audit webhook on 2017-09-11",
        "---",
        "%YAML 1.2",
        "",
      })
  void aFirstLineOfAnotherLayoutCostsNoEvent(String first) throws IOException {
    Found found = read(write("first.log", first + "\n" + lines(demo())));
    assertThat(found.events()).hasSize(37);
    assertThat(found.events().values()).as("lines as in the file").contains(2L, 38L);
  }

  @Test
  void aJsonArrayOnTheFirstLineIsReadAndSoIsTheRest() throws IOException {
    List<String> demo = demo();
    String array = "[" + demo.get(0) + "," + demo.get(1) + "]";
    Found found = read(write("array.log", array + "\n" + lines(demo.subList(2, demo.size()))));
    assertThat(found.events()).hasSize(37);
    assertThat(found.problems()).isEmpty();
  }

  @Test
  void aTruncatedFirstEventIsReportedAtItsLineAndTheRestIsRead() throws IOException {
    List<String> demo = demo();
    for (int cut : new int[] {1, 40, demo.get(0).length() / 2, demo.get(0).length() - 1}) {
      Found found = read(write("cut.log", demo.get(0).substring(0, cut) + "\n" + lines(demo)));
      assertThat(found.events()).as("cut at %d", cut).hasSize(37);
      assertThat(found.problems())
          .as("cut at %d", cut)
          .singleElement()
          .asString()
          .startsWith("1: malformed JSON: ")
          .contains("truncated?");
    }
  }

  @Test
  void aYamlEventFirstThenEventLines() throws IOException {
    Found found = read(write("yaml-first.log", Files.readString(YAML) + "\n" + lines(demo())));
    assertThat(found.events()).hasSize(38).containsKey(YAML_ID);
    assertThat(found.problems()).isEmpty();
    assertThat(found.events()).containsEntry("033d17af-082d-4b24-aa22-627752e83d71", 106L);
  }

  @Test
  void yamlDocumentsAreReadOneByOneSoABrokenOneCostsOnlyItself() throws IOException {
    String yaml = Files.readString(YAML) + "\n"; // the file has no final newline
    String broken = "---\nkind: Event\nverb: [get\n";
    String text =
        yaml + broken + "---\n" + yaml.replace(YAML_ID, "7a816f5c-0000-4f2f-8124-0c6083e41cd4");
    Found found = read(write("docs.yaml", text));
    assertThat(found.events()).containsOnlyKeys(YAML_ID, "7a816f5c-0000-4f2f-8124-0c6083e41cd4");
    assertThat(found.problems())
        .singleElement()
        .asString()
        .startsWith("10")
        .contains("invalid YAML");
  }

  @ParameterizedTest
  @ValueSource(ints = {100_000, 501})
  void aVeryDeepArrayIsReportedAndTheRestRead(int depth) throws IOException {
    for (String deep : List.of("[".repeat(depth), "[".repeat(depth) + "]".repeat(depth))) {
      Found found = read(write("deep.log", deep + "\n" + lines(demo())));
      assertThat(found.events()).hasSize(37);
      assertThat(found.problems())
          .singleElement()
          .asString()
          .startsWith("1: malformed JSON: nested more than 500 levels deep");
    }
  }

  @Test
  void aPrettyPrintedEventBetweenEventLinesIsOneRecord() throws IOException {
    List<String> demo = demo();
    String text =
        lines(demo.subList(0, 10)) + Files.readString(PRETTY) + lines(demo.subList(10, 37));
    for (boolean fast : new boolean[] {true, false}) {
      Found found = read(write("pretty.log", text), fast, 1, ParallelReader.MIN_SEGMENT);
      assertThat(found.problems()).isEmpty();
      assertThat(found.events()).hasSize(38).containsEntry(PRETTY_ID, 11L);
      assertThat(found.events()).containsValue(11L + 39);
    }
  }

  @Test
  void aTruncatedPrettyEventCostsOnlyItself() throws IOException {
    List<String> demo = demo();
    List<String> pretty = Files.readAllLines(PRETTY);
    String text =
        lines(demo.subList(0, 10))
            + lines(pretty.subList(0, 20))
            + lines(demo.subList(10, 37))
            + lines(pretty);
    Found found = read(write("pretty-cut.log", text));
    assertThat(found.events()).hasSize(38).containsEntry(PRETTY_ID, 11L + 20 + 27);
    assertThat(found.problems())
        .singleElement()
        .asString()
        .startsWith("11: malformed JSON: the record that starts here is not complete");
  }

  @Test
  void aPrettyPrintedArrayStreamsItsElementsWithTheirLines() throws IOException {
    List<String> demo = demo();
    StringBuilder text = new StringBuilder("[\n");
    for (int i = 0; i < demo.size(); i++) {
      text.append(i > 0 ? ",\n" : "")
          .append(Files.readString(PRETTY).strip().replace(PRETTY_ID, "id-" + i));
    }
    text.append("\n]\n").append(lines(demo));
    Found found = read(write("array.json", text.toString()));
    assertThat(found.problems()).isEmpty();
    assertThat(found.events())
        .hasSize(37 + 37)
        .containsEntry("id-0", 2L)
        .containsEntry("id-1", 41L);
  }

  @Test
  void anArrayWithOneElementALineIsReadToo() throws IOException {
    List<String> demo = demo();
    String text = "[\n" + String.join(",\n", demo) + "\n]\n";
    Found found = read(write("jq-array.json", text));
    assertThat(found.problems()).isEmpty();
    assertThat(found.events()).hasSize(37).containsValues(2L, 38L);
  }

  @Test
  void valuesConcatenatedOnOneLineAreEachRead() throws IOException {
    Found found = read(write("concat.log", String.join("", demo()) + "\n" + demo().get(0) + "\n"));
    assertThat(found.problems()).isEmpty();
    assertThat(found.events()).hasSize(37);
  }

  @Test
  void textThatIsNeitherJsonNorYamlIsReportedOnItsLine() throws IOException {
    List<String> demo = demo();
    String text =
        lines(demo.subList(0, 5))
            + "E1204 12:00:00.000000 1 audit.go:42] audit backend overloaded\n"
            + lines(demo.subList(5, 37));
    Found found = read(write("garbage.log", text));
    assertThat(found.events()).hasSize(37);
    assertThat(found.problems())
        .containsExactly(
            "6: not a JSON object or a YAML document: starts with \"E1204 12:00:00.000000 1 audit.go:42] aud...\"");
  }

  @Test
  void aRecordOverSeveralLinesIsNeverSplitBetweenParallelSegments() throws IOException {
    List<String> demo = demo();
    List<String> pretty = Files.readAllLines(PRETTY);
    StringBuilder text = new StringBuilder();
    for (int copy = 0; copy < 40; copy++) {
      text.append(lines(demo.subList(0, 3)));
      for (String line : pretty) {
        text.append(line.replace(PRETTY_ID, "copy-" + copy)).append('\n');
      }
    }
    Path file = write("segments.log", text.toString());
    Found one = read(file, true, 1, ParallelReader.MIN_SEGMENT);
    Found split = read(file, true, 4, 4096);
    assertThat(one.problems()).isEmpty();
    assertThat(one.events()).hasSize(43);
    // Events keep the line within their segment (only problems are renumbered), so compare what
    // was read.
    assertThat(split.events().keySet()).isEqualTo(one.events().keySet());
    assertThat(split.problems()).isEmpty();
  }

  @Test
  void utf16AsPowerShellWritesItIsRead() throws IOException {
    String text = lines(demo());
    byte[] le = text.getBytes(StandardCharsets.UTF_16LE);
    byte[] withBom = new byte[le.length + 2];
    withBom[0] = (byte) 0xFF;
    withBom[1] = (byte) 0xFE;
    System.arraycopy(le, 0, withBom, 2, le.length);
    for (byte[] bytes :
        List.of(
            withBom,
            le,
            text.getBytes(StandardCharsets.UTF_16),
            text.getBytes(StandardCharsets.UTF_16BE))) {
      Path file = Files.write(dir.resolve("ps.log"), bytes);
      Found found = read(file);
      assertThat(found.problems()).isEmpty();
      assertThat(found.events()).hasSize(37).containsValue(37L);
    }
  }
}
