package dev.rbacsynth.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.event.Stage;
import dev.rbacsynth.event.UserInfo;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsageStoreTest {
  @TempDir Path tmp;

  private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

  private static AuditEvent event(String id, Stage stage, String user, int code) {
    return new AuditEvent(
        id,
        stage,
        "/api/v1/namespaces/a/pods",
        "list",
        UserInfo.of(user, List.of()),
        null,
        "",
        null,
        code,
        "",
        "",
        T,
        null,
        null);
  }

  private static String ledger(UsageStore store, String since) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    store.writeLedger(since, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  private UsageStore open(Path dir, Clock clock) throws SQLException {
    return new UsageStore(dir, new CountingCodec(), Duration.ofHours(1), clock);
  }

  @Test
  void stateDirectoryIsPrivateAndReopenedStateIsKept() throws Exception {
    Path dir = tmp.resolve("state/sub");
    try (UsageStore store = open(dir, Clock.systemUTC())) {
      store.apply(List.of(event("a", Stage.RESPONSE_COMPLETE, "alice", 200)), 0, "c");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    try (UsageStore store = open(dir, Clock.systemUTC())) {
      assertThat(ledger(store, "")).contains("alice list /api/v1/namespaces/a/pods 1");
    }
  }

  @Test
  void aResentBatchAndLateStagesAreNotCountedTwice() throws Exception {
    try (UsageStore store = open(tmp, Clock.systemUTC())) {
      List<AuditEvent> batch =
          List.of(
              event("a", Stage.RESPONSE_COMPLETE, "alice", 200),
              event("b", Stage.RESPONSE_COMPLETE, "alice", 200));
      assertThat(store.apply(batch, 0, "c")).isEqualTo(new UsageStore.Applied(2, 0, 0));
      assertThat(store.apply(batch, 0, "c")).isEqualTo(new UsageStore.Applied(0, 0, 2));
      assertThat(store.apply(List.of(event("a", Stage.RESPONSE_STARTED, "alice", 200)), 0, "c"))
          .isEqualTo(new UsageStore.Applied(0, 0, 1));
      assertThat(ledger(store, "")).isEqualTo("events 2\nalice list /api/v1/namespaces/a/pods 2\n");
    }
  }

  @Test
  void aNonFinalStageWaitsAndItsFinalStageReplacesIt() throws Exception {
    try (UsageStore store = open(tmp, Clock.systemUTC())) {
      store.apply(List.of(event("w", Stage.RESPONSE_STARTED, "alice", 200)), 0, "c");
      // seen as collect sees a log that ends here: the stage counts
      assertThat(ledger(store, "")).contains("alice list /api/v1/namespaces/a/pods 1");
      // the final stage (another outcome) replaces it; a resent started stage changes nothing
      store.apply(List.of(event("w", Stage.RESPONSE_COMPLETE, "alice", 500)), 0, "c");
      store.apply(List.of(event("w", Stage.RESPONSE_STARTED, "alice", 200)), 0, "c");
      assertThat(ledger(store, "")).isEqualTo("events 1\nalice list /api/v1/namespaces/a/pods 1\n");
      // within one batch, the final stage wins whatever the order
      store.apply(
          List.of(
              event("x", Stage.RESPONSE_COMPLETE, "bob", 200),
              event("x", Stage.REQUEST_RECEIVED, "bob", 0)),
          0,
          "c");
      assertThat(ledger(store, "")).contains("bob list /api/v1/namespaces/a/pods 1\n");
    }
  }

  @Test
  void auditIdsAreForgottenAfterTheRetentionAndPendingStagesCountedForGood() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    try (UsageStore store = open(tmp, clock)) {
      store.apply(List.of(event("a", Stage.RESPONSE_COMPLETE, "alice", 200)), 0, "c");
      store.apply(List.of(event("p", Stage.RESPONSE_STARTED, "carol", 200)), 0, "c");
      clock.now = clock.now.plus(Duration.ofMinutes(61));
      store.apply(List.of(event("b", Stage.RESPONSE_COMPLETE, "alice", 200)), 0, "c");
      clock.now = clock.now.plus(Duration.ofMinutes(2));
      store.apply(List.of(), 0, "c");
      assertThat(store.figures().pending()).isZero();
      // the pending stage was counted for good; its final stage, arriving late, is dropped
      store.apply(List.of(event("p", Stage.RESPONSE_COMPLETE, "carol", 200)), 0, "c");
      assertThat(ledger(store, "")).contains("carol list /api/v1/namespaces/a/pods 1\n");
      // past the retention, "a" is not remembered: a resend that late would count again
      assertThat(store.apply(List.of(event("a", Stage.RESPONSE_COMPLETE, "alice", 200)), 0, "c"))
          .isEqualTo(new UsageStore.Applied(1, 0, 0));
    }
  }

  @Test
  void aFullDiskFailsTheWholeBatchAndTheStoreGoesOn() throws Exception {
    try (UsageStore store = open(tmp, Clock.systemUTC())) {
      store.apply(List.of(event("a", Stage.RESPONSE_COMPLETE, "alice", 200)), 0, "c");
      store.limitPages(store.pageCount());
      List<AuditEvent> big = new java.util.ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        big.add(event("id-" + i, Stage.RESPONSE_COMPLETE, "user-" + i, 200));
      }
      assertThatThrownBy(() -> store.apply(big, 0, "c"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("full");
      store.limitPages(1_000_000);
      assertThat(ledger(store, "")).isEqualTo("events 1\nalice list /api/v1/namespaces/a/pods 1\n");
      assertThat(store.apply(big, 0, "c").counted()).isEqualTo(2000);
    }
  }

  @Test
  void sinceKeepsTheDaysOnOrAfterIt() throws Exception {
    try (UsageStore store = open(tmp, Clock.systemUTC())) {
      store.apply(List.of(event("a", Stage.RESPONSE_COMPLETE, "alice", 200)), 0, "c");
      assertThat(ledger(store, "2026-12-01")).contains("alice");
      assertThat(ledger(store, "2026-12-02")).doesNotContain("alice");
    }
  }

  static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
