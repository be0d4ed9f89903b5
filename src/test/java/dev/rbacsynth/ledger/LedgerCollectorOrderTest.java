package dev.rbacsynth.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.event.Stage;
import dev.rbacsynth.read.AuditLogReader;
import dev.rbacsynth.read.InputOrder;
import dev.rbacsynth.read.InputSource;
import dev.rbacsynth.read.LinePrefilter;
import dev.rbacsynth.read.ParallelReader;
import dev.rbacsynth.read.ReadProblem;
import dev.rbacsynth.read.ReadStats;
import dev.rbacsynth.read.RecordDispatcher;
import dev.rbacsynth.read.RecordSink;
import dev.rbacsynth.read.SourceLocation;
import dev.rbacsynth.read.envelope.Envelopes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file read in parallel segments gives the ledger a one-thread read gives, however the reader
 * threads' records interleave: whether a final stage without its RequestReceived is kept apart as
 * an edge depends on a RequestReceived before it in the input, not on one another thread handed on
 * first.
 */
class LedgerCollectorOrderTest {
  @TempDir Path tmp;

  @Test
  void aRequestReceivedInALaterSegmentDoesNotMakeTheFirstRequestAnEdge() throws Exception {
    List<String> demo = Files.readAllLines(Path.of("testdata/demo.log"));
    List<String> lines = new ArrayList<>(demo);
    // the last request again, logged with its RequestReceived stage too (as apiservers log them)
    String last = demo.get(demo.size() - 1);
    assertThat(last).contains("\"stage\":\"ResponseComplete\"");
    String id = "\"auditID\":\"";
    int at = last.indexOf(id) + id.length();
    String again = last.substring(0, at) + "0" + last.substring(at + 1);
    lines.add(again.replace("\"stage\":\"ResponseComplete\"", "\"stage\":\"RequestReceived\""));
    lines.add(again);
    Path log = tmp.resolve("audit.log");
    Files.write(log, lines);
    long third = Files.size(log) / 3;

    String oneThread = ledger(log, 1, third, LedgerCollector::new, false);
    String parallel = ledger(log, 2, third, LedgerCollector::new, true);
    assertThat(oneThread).as("no request kept apart").doesNotContain("\"stages\"");
    assertThat(parallel).isEqualTo(oneThread);
  }

  private interface Collectors {
    LedgerCollector make();
  }

  /**
   * The ledger of {@code log} read with {@code threads} readers; {@code forced}: the first
   * segment's records wait until the second segment has handed on its RequestReceived.
   */
  private static String ledger(
      Path log, int threads, long minSegment, Collectors collectors, boolean forced)
      throws IOException, InterruptedException {
    LedgerCollector collector = collectors.make();
    CountDownLatch requestReceived = new CountDownLatch(1);
    RecordSink sink =
        new RecordSink() {
          @Override
          public void event(AuditEvent event, SourceLocation location) {
            long part = InputOrder.next() >>> 40; // positions still grow in each part's order
            if (forced && part == 0) {
              try {
                assertThat(requestReceived.await(20, TimeUnit.SECONDS)).isTrue();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            collector.event(event, location);
            if (event.stage() == Stage.REQUEST_RECEIVED) {
              requestReceived.countDown();
            }
          }

          @Override
          public void problem(ReadProblem problem) {
            collector.problem(problem);
          }
        };
    AuditLogReader reader =
        new AuditLogReader(
            new RecordDispatcher(Envelopes.all()), LinePrefilter.ALL, new ReadStats());
    new ParallelReader(reader, threads, minSegment)
        .readAll(List.of(new InputSource.FileSource(log)), sink, n -> {});
    if (forced) {
      assertThat(requestReceived.getCount()).isZero();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LedgerJson.write(collector.finish(), out);
    return out.toString(StandardCharsets.UTF_8);
  }
}
