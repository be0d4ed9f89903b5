package dev.rbacsynth.read;

import static dev.rbacsynth.SemanticsEvents.set;
import static dev.rbacsynth.SemanticsEvents.variant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.event.AuditEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Parts of the input are read at once (segments of a large file, several files), so the final stage
 * of a request received at the end of one part and completed in the next can reach the merger
 * before its earlier stages, and those long after the window of audit IDs has let the request go.
 * It is still counted once. Found on the 1 GB benchmark log read in three segments: a watch of
 * leases whose three stages are lines 307 961-307 963 was counted twice (once complete, once as an
 * open request), so the ledger depended on the number of cores. The events are case 24 of
 * testdata/semantics (a list of pods) under other audit IDs, stages and times.
 */
class StageMergerPartsTest {
  private static final String WATCH = "8017b311-9834-cdde-81c4-a22343c8b69f";

  private final List<AuditEvent> out = new ArrayList<>();
  // a window of 4 audit IDs: the part read first hands on more requests than that before the
  // earlier stages come
  private final StageMerger merger = new StageMerger(4, (e, l) -> out.add(e));

  private static AuditEvent stage(String id, String stage, String received, String logged) {
    return variant(
        24,
        set("auditID", id),
        set("stage", stage),
        set("requestReceivedTimestamp", received),
        set("stageTimestamp", logged));
  }

  /** The events as the reader thread of {@code part} hands them on; part -1: no part at all. */
  private void read(int part, AuditEvent... events) {
    if (part >= 0) {
      InputOrder.begin(part);
    }
    try {
      for (AuditEvent e : events) {
        merger.accept(e, new SourceLocation("audit.log", 1));
      }
    } finally {
      InputOrder.end();
    }
  }

  /**
   * Six other requests of the part read first, received two minutes after it began (so not
   * remembered as requests that may straddle its start): more than the window holds.
   */
  private static AuditEvent[] others() {
    AuditEvent[] others = new AuditEvent[6];
    for (int i = 0; i < others.length; i++) {
      String time = "2026-05-04T10:12:0" + (i + 1) + ".000001Z";
      others[i] = stage("3f0d2a1c-0025-4c2e-9a11-5b7e0000010" + i, "ResponseComplete", time, time);
    }
    return others;
  }

  private long watches() {
    return out.stream().filter(e -> e.auditID().equals(WATCH)).count();
  }

  @Test
  void aFinalStageReadBeforeItsEarlierStagesFromTheNextPartIsCountedOnce() {
    String received = "2026-05-04T10:04:40.434780Z";
    read(
        1,
        stage(WATCH, "ResponseComplete", received, "2026-05-04T10:10:00.000001Z"),
        others()[0],
        others()[1],
        others()[2],
        others()[3],
        others()[4],
        others()[5]);
    read(
        0,
        stage(WATCH, "RequestReceived", received, received),
        stage(WATCH, "ResponseStarted", received, "2026-05-04T10:04:40.501234Z"));
    merger.flush();
    assertThat(watches()).isEqualTo(1);
    assertThat(out).hasSize(7);
  }

  @Test
  void withoutPartsTheWindowAloneWouldCountItTwice() {
    // the same order handed on directly (no reader parts): the window is all there is, and it
    // let the watch go; this is the double count the parts rule prevents
    String received = "2026-05-04T10:04:40.434780Z";
    AuditEvent[] others = others();
    read(-1, stage(WATCH, "ResponseComplete", received, "2026-05-04T10:10:00.000001Z"));
    read(-1, others);
    read(
        -1,
        stage(WATCH, "RequestReceived", received, received),
        stage(WATCH, "ResponseStarted", received, "2026-05-04T10:04:40.501234Z"));
    merger.flush();
    assertThat(watches()).isEqualTo(2);
  }

  @Test
  void anotherRequestUnderTheSameAuditIdIsStillCounted() {
    String received = "2026-05-04T10:04:40.434780Z";
    AuditEvent[] others = others();
    read(1, stage(WATCH, "ResponseComplete", received, "2026-05-04T10:10:00.000001Z"));
    read(1, others);
    // a client's own Audit-ID on a different request: not an earlier stage of the watch
    AuditEvent other =
        variant(
            24,
            set("auditID", WATCH),
            set("stage", "RequestReceived"),
            set("requestURI", "/api/v1/namespaces/shop/secrets?limit=500"),
            set("requestReceivedTimestamp", received),
            set("stageTimestamp", received));
    read(0, other);
    merger.flush();
    assertThat(out)
        .filteredOn(e -> e.auditID().equals(WATCH))
        .extracting(AuditEvent::requestURI)
        .containsExactlyInAnyOrder(
            "/api/v1/namespaces/shop/pods?limit=500", "/api/v1/namespaces/shop/secrets?limit=500");
  }

  @Test
  void aRequestReceivedWellAfterThePartBeganIsNotKeptAsOneThatMayStraddleIt() {
    // the part began at 10:10:00; a request received more than HEAD later cannot have stages in
    // the part before, so its final stage is not remembered beyond the window: an earlier stage
    // arriving after the window let it go is taken as a new request (as it always was)
    String late = "2026-05-04T10:11:30.000001Z";
    String began = "2026-05-04T10:10:00.000001Z";
    read(1, stage("3f0d2a1c-0025-4c2e-9a11-5b7e00000200", "ResponseComplete", began, began));
    read(1, stage(WATCH, "ResponseComplete", late, late));
    read(1, others());
    read(0, stage(WATCH, "RequestReceived", late, late));
    merger.flush();
    assertThat(watches()).isEqualTo(2);
  }
}
