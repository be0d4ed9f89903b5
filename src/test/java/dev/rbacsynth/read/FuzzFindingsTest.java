package dev.rbacsynth.read;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.read.envelope.Envelopes;
import dev.rbacsynth.select.SubjectPrefilter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reader bugs found by the fuzz tests in {@code dev.rbacsynth.fuzz}, pinned by plain examples (the
 * fuzzers' reproducers are kept in their inputs directories too).
 */
class FuzzFindingsTest {

  private final List<AuditEvent> events = new ArrayList<>();
  private final List<ReadProblem> problems = new ArrayList<>();
  private final RecordSink sink =
      new RecordSink() {
        @Override
        public void event(AuditEvent event, SourceLocation location) {
          events.add(event);
        }

        @Override
        public void problem(ReadProblem problem) {
          problems.add(problem);
        }
      };

  private ReadStats read(byte[] bytes, LinePrefilter prefilter) {
    ReadStats stats = new ReadStats();
    new AuditLogReader(new RecordDispatcher(Envelopes.all()), prefilter, stats)
        .read(new InputSource.StdinSource(new ByteArrayInputStream(bytes)), sink);
    return stats;
  }

  @Test
  void anEmptyInputIsCountedAsAProblem() {
    ReadStats stats = read(new byte[0], LinePrefilter.ALL);

    assertThat(problems)
        .singleElement()
        .extracting(ReadProblem::message)
        .asString()
        .contains("empty");
    assertThat(stats.problems.sum()).isEqualTo(1);
  }

  @Test
  void aLineBreakInsideARecordDoesNotBreakTheProblemLine() {
    read(
        "{\"kind\":\"Role\\n/x.log:9: warning: forged\\r\\u001b[2J\"}\n"
            .getBytes(StandardCharsets.UTF_8),
        LinePrefilter.ALL);

    assertThat(problems)
        .singleElement()
        .extracting(ReadProblem::format)
        .isEqualTo(
            "<stdin>:1: not an audit Event (kind \"Role\\n/x.log:9: warning: forged\\r\\u001b[2J\")");
  }

  @Test
  void aNameSpelledInOverlongUtf8IsNotSkippedByThePrefilter() {
    // Jackson decodes the invalid two-byte form C1 AF as "o", so a full parse sees user "bob"; the
    // pre-filter must not skip the line for lacking the bytes of "bob".
    byte[] line =
        concat(
            "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"auditID\":\"1\","
                + "\"stage\":\"ResponseComplete\",\"verb\":\"get\",\"user\":{\"username\":\"b",
            new byte[] {(byte) 0xC1, (byte) 0xAF},
            "b\"}}\n");
    LinePrefilter bob = SubjectPrefilter.forName("bob");

    read(line, LinePrefilter.ALL);
    read(line, bob);

    assertThat(events).extracting(e -> e.user().username()).containsExactly("bob", "bob");
    assertThat(bob.mightMatch(line, 0, line.length - 1)).isTrue();
  }

  @Test
  void theThreeByteOverlongFormsAreCaughtButValidMultiByteTextIsNot() {
    LinePrefilter bob = SubjectPrefilter.forName("bob");
    byte[] overlong = {'"', (byte) 0xE0, (byte) 0x81, (byte) 0xAF, '"'}; // "o" in three bytes
    byte[] devanagari = "\"\u0915\"".getBytes(StandardCharsets.UTF_8); // E0 A4 95: valid

    assertThat(bob.mightMatch(overlong, 0, overlong.length)).isTrue();
    assertThat(bob.mightMatch(devanagari, 0, devanagari.length)).isFalse();
  }

  @Test
  void aNameWithAnUnpairedSurrogateIsNotPrefiltered() {
    assertThat(SubjectPrefilter.forName("bob\uD800").filters()).isFalse();
  }

  private static byte[] concat(String head, byte[] middle, String tail) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(middle);
    out.writeBytes(tail.getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }
}
