package dev.rbacsynth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.HkermaAuditLog;
import dev.rbacsynth.aggregate.Observation;
import dev.rbacsynth.aggregate.ObservedUsage;
import dev.rbacsynth.kube.Subject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The observation window of the real hkerma log: the first and last event time of the whole input
 * and its number of events, the same whichever subject is read, however the lines are read.
 */
class ObservationWindowReadingTest {

  private static UsageReader reader() {
    return UsageReader.of(List.of(HkermaAuditLog.jsonl().toString()))
        .stdin(new ByteArrayInputStream(new byte[0]));
  }

  /**
   * The window as a plain scan of every line of the file computes it: from the earliest
   * requestReceivedTimestamp to the latest stageTimestamp, every line an event.
   */
  private static Observation expected() throws IOException {
    JsonMapper mapper = new JsonMapper();
    Instant from = null;
    Instant to = null;
    long events = 0;
    for (String line : Files.readAllLines(Path.of(HkermaAuditLog.jsonl().toString()))) {
      JsonNode event = mapper.readTree(line);
      Instant received = Instant.parse(event.get("requestReceivedTimestamp").asString());
      Instant logged = Instant.parse(event.get("stageTimestamp").asString());
      from = from == null || received.isBefore(from) ? received : from;
      to = to == null || logged.isAfter(to) ? logged : to;
      events++;
    }
    return Observation.of(from, to, events);
  }

  @Test
  void theWindowIsTheWholeInputsWhicheverSubjectIsRead() throws IOException {
    Observation expected = expected();
    assertThat(expected.events()).isEqualTo(16_563);
    assertThat(expected.from()).isEqualTo(Instant.parse("2023-01-27T18:28:08.127428Z"));
    assertThat(expected.to()).isEqualTo(Instant.parse("2023-01-27T18:32:12.473826Z"));

    Subject nginx = new Subject.ServiceAccount("ingress-nginx", "my-ingress-nginx");
    UsageReader.Result one = reader().read(nginx);
    ObservedUsage usage = one.usage(nginx);
    assertThat(one.stats().skippedByPrefilter.sum()).as("most lines were not parsed").isPositive();
    assertThat(one.observation()).isEqualTo(expected);
    // The subject's own activity is a part of the window, not the window.
    assertThat(usage.firstSeen()).isAfter(expected.from());
    assertThat(usage.lastSeen()).isBeforeOrEqualTo(expected.to());

    assertThat(reader().plan(false, 1, 1 << 20).read(nginx).observation()).isEqualTo(expected);
    assertThat(reader().plan(true, 2, 64 << 10).read(nginx).observation()).isEqualTo(expected);
    assertThat(reader().read(new Subject.User("nobody-at-all")).observation()).isEqualTo(expected);
    assertThat(reader().readAll().observation()).isEqualTo(expected);
  }

  @Test
  void demoLogWindow() {
    UsageReader.Result r =
        UsageReader.of(List.of("testdata/demo.log"))
            .stdin(new ByteArrayInputStream(new byte[0]))
            .read(new Subject.User("alice"));
    assertThat(r.observation())
        .isEqualTo(
            Observation.of(
                Instant.parse("2017-09-11T19:55:05Z"), Instant.parse("2017-09-11T20:29:04Z"), 37));
  }
}
