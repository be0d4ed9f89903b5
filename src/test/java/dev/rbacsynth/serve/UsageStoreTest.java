package dev.rbacsynth.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rbacsynth.HkermaAuditLog;
import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.ledger.Ledger;
import dev.rbacsynth.ledger.LedgerCollector;
import dev.rbacsynth.ledger.LedgerJson;
import dev.rbacsynth.read.SourceLocation;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store on real events: the ledger it keeps equals the ledger of the same events at once. */
class UsageStoreTest {
  @TempDir Path tmp;

  static List<AuditEvent> events(List<String> lines) throws Exception {
    return EventListBody.read(
            new ByteArrayInputStream(
                AuditServerTest.eventList("audit.k8s.io/v1", lines)
                    .getBytes(StandardCharsets.UTF_8)))
        .events();
  }

  static List<String> hkerma(int max) throws Exception {
    return Files.readAllLines(HkermaAuditLog.jsonl()).stream()
        .filter(l -> !l.isBlank())
        .limit(max)
        .toList();
  }

  /** What collect makes of the events: one ledger collector over all of them. */
  static Ledger collected(List<AuditEvent> events, String cluster) {
    LedgerCollector c = new LedgerCollector().cluster(cluster);
    events.forEach(e -> c.event(e, new SourceLocation("log", 0)));
    return c.finish();
  }

  private UsageStore open(Path dir) throws SQLException {
    return new UsageStore(dir, Duration.ofHours(1), Clock.systemUTC());
  }

  @Test
  void theRealLogInBatchesGivesTheLedgerOfTheWholeLog() throws Exception {
    List<String> lines = hkerma(Integer.MAX_VALUE);
    try (UsageStore store = open(tmp)) {
      for (int i = 0; i < lines.size(); i += 400) {
        store.apply(events(lines.subList(i, Math.min(lines.size(), i + 400))), 0, "kubeadm");
      }
      assertThat(LedgerJson.toJson(store.ledger(null)))
          .isEqualTo(LedgerJson.toJson(collected(events(lines), "kubeadm")));
    }
  }

  @Test
  void batchesStoredAtOnceFromManyThreadsGiveTheLedgerOfTheWholeLog() throws Exception {
    // group commit: batches that wait for a commit are written together, a savepoint each;
    // some batches are sent twice at the same time (a resend racing its original)
    List<String> lines = hkerma(6000);
    List<List<AuditEvent>> batches = new ArrayList<>();
    for (int i = 0; i < lines.size(); i += 200) {
      batches.add(events(lines.subList(i, Math.min(lines.size(), i + 200))));
    }
    java.util.concurrent.atomic.AtomicLong absorbed = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(4);
    try (UsageStore store = open(tmp)) {
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      for (int i = 0; i < batches.size(); i++) {
        List<AuditEvent> b = batches.get(i);
        int copies = i % 5 == 0 ? 2 : 1;
        for (int c = 0; c < copies; c++) {
          done.add(pool.submit(() -> absorbed.addAndGet(store.apply(b, 0, "c").absorbed())));
        }
      }
      for (var f : done) {
        f.get();
      }
      assertThat(absorbed.get()).isEqualTo(lines.size());
      assertThat(LedgerJson.toJson(store.ledger(null)))
          .isEqualTo(LedgerJson.toJson(collected(events(lines), "c")));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aResentBatchIsNotCountedTwiceAndStateSurvivesAReopen() throws Exception {
    List<String> lines = hkerma(1200);
    Path dir = tmp.resolve("state/sub");
    try (UsageStore store = open(dir)) {
      store.apply(events(lines.subList(0, 400)), 0, "c");
      UsageStore.Applied again = store.apply(events(lines.subList(0, 400)), 0, "c");
      assertThat(again.absorbed()).isZero();
      assertThat(again.duplicates()).isEqualTo(400);
      // a batch that overlaps what was stored: only the new records count
      store.apply(events(lines.subList(200, 800)), 0, "c");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    try (UsageStore store = open(dir)) {
      store.apply(events(lines.subList(800, 1200)), 0, "c");
      assertThat(LedgerJson.toJson(store.ledger(null)))
          .isEqualTo(LedgerJson.toJson(collected(events(lines), "c")));
    }
  }

  /** A clock the test moves. */
  static final class TestClock extends Clock {
    Instant now = Instant.parse("2026-12-04T12:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
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

  @Test
  void aFinalStageWhoseEarlierStagesNeverCameIsCountedOnItsOwnAfterTheRetention() throws Exception {
    // a batch that logs RequestReceived, with a final stage whose RequestReceived it lacks (as a
    // policy that omits the stage for some requests only sends): the ledger keeps it open
    List<String> lines = Files.readAllLines(Path.of("testdata/semantics/case-24.jsonl"));
    String received = lines.get(0); // the RequestReceived stage of a list
    String id = received.replaceFirst(".*\"auditID\":\"([^\"]*)\".*", "$1");
    // another request's ResponseComplete (the same list's, under another audit ID)
    String lone = lines.get(1).replace(id, "3f0d2a1c-0025-4c2e-9a11-5b7e0000ffff");
    List<AuditEvent> batch = events(List.of(received, lone));
    Ledger collected = collected(batch, "c");
    assertThat(collected.pending()).hasSize(2); // both are edges of the part
    TestClock clock = new TestClock();
    try (UsageStore store = new UsageStore(tmp, Duration.ofHours(1), clock)) {
      store.apply(batch, 0, "c");
      assertThat(store.fragments()).isEqualTo(2);
      assertThat(LedgerJson.toJson(store.ledger(null))).isEqualTo(LedgerJson.toJson(collected));
      clock.now = clock.now.plus(Duration.ofMinutes(59));
      store.apply(List.of(), 0, "c");
      assertThat(store.fragments()).isEqualTo(2);
      clock.now = clock.now.plus(Duration.ofMinutes(2));
      store.apply(List.of(), 0, "c");
      // the final stage is counted; the RequestReceived alone (no final stage yet) waits on
      assertThat(store.fragments()).isEqualTo(1);
      Ledger served = store.ledger(null);
      assertThat(served.pending()).hasSize(1).containsKey(id);
      // counted in its subjects' rows (requester and impersonated user; its audit ID is the rows'
      // sample)
      String rows =
          LedgerJson.toJson(Ledger.of(served.observation(), served.subjects().values(), List.of()));
      assertThat(rows).contains("3f0d2a1c-0025-4c2e-9a11-5b7e0000ffff");
      assertThat(served.observation().events()).isEqualTo(2);
    }
  }

  @Test
  void badItemsAreCountedAsBadRecords() throws Exception {
    try (UsageStore store = open(tmp)) {
      store.apply(events(hkerma(10)), 3, "c");
      assertThat(store.ledger(null).observation().badRecords()).isEqualTo(3);
      assertThat(store.ledger(null).observation().events()).isEqualTo(10);
    }
  }

  @Test
  void aFullDiskFailsTheWholeBatchAndTheStoreGoesOn() throws Exception {
    List<String> lines = hkerma(3000);
    try (UsageStore store = open(tmp)) {
      store.apply(events(lines.subList(0, 10)), 0, "c");
      String before = LedgerJson.toJson(store.ledger(null));
      store.limitPages(store.pageCount());
      List<AuditEvent> big = events(lines.subList(10, 3000));
      assertThatThrownBy(() -> store.apply(big, 0, "c"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("full");
      store.limitPages(1_000_000);
      assertThat(LedgerJson.toJson(store.ledger(null))).isEqualTo(before);
      store.apply(big, 0, "c"); // the resend
      assertThat(LedgerJson.toJson(store.ledger(null)))
          .isEqualTo(LedgerJson.toJson(collected(events(lines), "c")));
    }
  }

  @Test
  void sinceKeepsTheDaysOnOrAfterIt() throws Exception {
    try (UsageStore store = open(tmp)) {
      store.apply(events(hkerma(50)), 0, "c");
      // hkerma was logged on 2023-01-27
      assertThat(store.ledger(Instant.parse("2023-01-27T12:00:00Z")).subjects()).isNotEmpty();
      assertThat(store.ledger(Instant.parse("2023-01-28T00:00:00Z")).subjects()).isEmpty();
    }
  }

  /** review8 F8: ?since= cuts every cluster's window, not only the whole store's. */
  @Test
  void sinceCutsEveryClustersWindowToo() throws Exception {
    List<String> demo =
        Files.readAllLines(Path.of("testdata/demo.log")).stream()
            .filter(l -> !l.isBlank())
            .toList();
    try (UsageStore store = open(tmp)) {
      store.apply(events(hkerma(50)), 0, "prod"); // 2023-01-27
      store.apply(events(demo), 0, "dev"); // 2017-09-11
      Ledger all = store.ledger(null);
      assertThat(LedgerJson.toJson(all))
          .isEqualTo(
              LedgerJson.toJson(
                  collected(events(hkerma(50)), "prod").merge(collected(events(demo), "dev"))));
      var prod = all.observation().clusters().get("prod");

      var since = store.ledger(Instant.parse("2023-01-27T12:00:00Z")).observation();
      assertThat(since.clusters()).containsOnlyKeys("prod");
      assertThat(since.clusters().get("prod").events()).isEqualTo(prod.events()).isEqualTo(50);
      assertThat(since.events()).isEqualTo(50);

      var none = store.ledger(Instant.parse("2023-01-28T00:00:00Z")).observation();
      assertThat(none.events()).isZero();
      assertThat(none.clusters()).isEmpty();
    }
  }

  static List<String> renamed(List<String> lines, String prefix) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      out.add(
          lines
              .get(i)
              .replaceFirst("\"auditID\":\"[^\"]*\"", "\"auditID\":\"" + prefix + i + "\""));
    }
    return out;
  }
}
