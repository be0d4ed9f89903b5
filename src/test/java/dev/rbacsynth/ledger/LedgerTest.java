package dev.rbacsynth.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rbacsynth.HkermaAuditLog;
import dev.rbacsynth.aggregate.ObservedUsage;
import dev.rbacsynth.aggregate.OutcomeStats;
import dev.rbacsynth.aggregate.Usage;
import dev.rbacsynth.attributes.Outcome;
import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.kube.Subject;
import dev.rbacsynth.pipeline.UsageReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger on the real hkerma log: what it holds equals what generate aggregates, for every
 * subject; parts collected apart and merged in any order give the bytes of the whole.
 */
class LedgerTest {
  @TempDir Path tmp;

  static Ledger collect(Path... files) {
    LedgerCollector c = new LedgerCollector();
    UsageReader.of(java.util.Arrays.stream(files).map(Path::toString).toList()).readInto(c);
    return c.finish();
  }

  /** Everything generate and diff read from an ObservedUsage, as text. */
  static String describe(ObservedUsage u) {
    StringBuilder b = new StringBuilder();
    b.append("events=").append(u.matchedEvents()).append(" skips=").append(u.skippedEvents());
    b.append(" privileged=").append(new java.util.TreeSet<>(u.privilegedGroups())).append('\n');
    describe(b, "", u.requests());
    describe(b, "skipped ", u.skippedRequests());
    return b.toString();
  }

  private static void describe(StringBuilder b, String tag, Map<RequestAttributes, Usage> m) {
    m.forEach(
        (a, usage) -> {
          b.append(tag).append(a).append(" groups=").append(usage.commonGroups());
          b.append(" impl=").append(usage.implication()).append(" dry=").append(usage.onlyDryRun());
          for (Outcome o : Outcome.values()) {
            if (usage.seen(o)) {
              OutcomeStats s = usage.stats(o);
              b.append(' ').append(o).append('=').append(s.count()).append('/');
              b.append(s.first()).append('/').append(s.last());
            }
          }
          b.append('\n');
        });
  }

  @Test
  void everySubjectOfHkermaHasTheUsageGenerateReads() {
    Path log = HkermaAuditLog.jsonl();
    Ledger ledger = collect(log);
    Map<Subject, ObservedUsage> fromLedger = ledger.usages("");
    List<Subject> subjects = List.copyOf(fromLedger.keySet());
    assertThat(subjects).hasSize(HkermaAuditLog.usersByActivity().size());
    UsageReader.Result direct = UsageReader.of(List.of(log.toString())).read(subjects);
    for (Subject s : subjects) {
      assertThat(describe(fromLedger.get(s))).as(s.describe()).isEqualTo(describe(direct.usage(s)));
      assertThat(describe(ledger.usage(s, ""))).isEqualTo(describe(direct.usage(s)));
    }
    // and through JSON, byte for byte
    String json = LedgerJson.toJson(ledger);
    Ledger back = LedgerJson.fromJson(json, "ledger.json");
    assertThat(LedgerJson.toJson(back)).isEqualTo(json);
    for (Subject s : subjects) {
      assertThat(describe(back.usage(s, ""))).isEqualTo(describe(direct.usage(s)));
    }
  }

  @Test
  void partsCollectedApartAndMergedInAnyOrderGiveTheWhole() throws IOException {
    Path log = HkermaAuditLog.jsonl();
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    String whole = LedgerJson.toJson(collect(log));
    assertThat(whole).contains("\"pending\"");
    // split points: inside the first watches (an RC line before its RS), the middle, near the end
    int n = lines.size();
    int[][] splits = {
      {3000, 8000, 9000, 12000}, {8}, {130}, {n / 2}, {7, 251, 1000, n / 3, n - 5}, {1, 2, 3, n - 1}
    };
    for (int[] cuts : splits) {
      List<Ledger> parts = new ArrayList<>();
      int from = 0;
      for (int i = 0; i <= cuts.length; i++) {
        int to = i < cuts.length ? cuts[i] : n;
        Path part = tmp.resolve("part-" + from + ".log");
        Files.write(part, lines.subList(from, to), StandardCharsets.UTF_8);
        parts.add(collect(part));
        from = to;
      }
      assertThat(LedgerJson.toJson(Ledger.mergeAll(parts)))
          .as("split at %s", java.util.Arrays.toString(cuts))
          .isEqualTo(whole);
      List<Ledger> shuffled = new ArrayList<>(parts);
      Collections.reverse(shuffled);
      assertThat(LedgerJson.toJson(Ledger.mergeAll(shuffled))).isEqualTo(whole);
      Collections.shuffle(shuffled, new Random(cuts.length));
      // associativity: pairs first
      Ledger left = Ledger.empty();
      for (int i = 0; i + 1 < shuffled.size(); i += 2) {
        left = left.merge(shuffled.get(i + 1).merge(shuffled.get(i)));
      }
      if (shuffled.size() % 2 == 1) {
        left = shuffled.get(shuffled.size() - 1).merge(left);
      }
      assertThat(LedgerJson.toJson(left)).isEqualTo(whole);
    }
  }

  /**
   * A row's day slices: exact counts per day, times kept inside the kept days, and the slices of
   * all days merge back into the row (what serve's per-day rows rely on).
   */
  @Test
  void daySlicesOfARowAreExactPerDayAndMergeBackIntoTheRow() {
    Instant t1 = Instant.parse("2026-05-04T10:00:00.000001Z");
    Instant t2 = Instant.parse("2026-05-05T08:00:00.5Z");
    Instant t3 = Instant.parse("2026-05-06T23:59:59.999999Z");
    RequestRow row = new RequestRow();
    Interner interner = new Interner();
    List<String> groups = List.of("system:authenticated");
    row.add(Outcome.ALLOWED, t1, Days.of(t1), groups, interner, "", false, "b", "kubectl");
    row.add(Outcome.RBAC_DENIED, t2, Days.of(t2), groups, interner, "", false, "a", "kubectl");
    row.add(Outcome.ALLOWED, t3, Days.of(t3), groups, interner, "", true, "c", "curl");
    RequestRow middle = row.slice(d -> d == Days.of(t2));
    assertThat(middle.outcomes()).containsOnlyKeys(Outcome.RBAC_DENIED);
    assertThat(middle.total()).isEqualTo(new Stats(1, t2, t2));
    RequestRow ends = row.slice(d -> d != Days.of(t2));
    assertThat(ends.outcomes().get(Outcome.ALLOWED)).isEqualTo(new Stats(2, t1, t3));
    assertThat(ends.days()).containsOnlyKeys(Days.of(t1), Days.of(t3));
    assertThat(row.slice(d -> false)).isNull();
    RequestRow back = new RequestRow();
    for (long day : row.dayNumbers()) {
      back.merge(row.slice(d -> d == day));
    }
    assertThat(back.outcomes()).isEqualTo(row.outcomes());
    assertThat(back.days()).isEqualTo(row.days());
    assertThat(back.auditIDs()).containsExactly("a", "b", "c");
    assertThat(back.userAgents()).containsExactly("curl", "kubectl");
    assertThat(back.onlyDryRun()).isFalse();
  }

  @Test
  void badLedgersAreOneClearError() throws IOException {
    Path truncated = tmp.resolve("truncated.json");
    String json = LedgerJson.toJson(collect(HkermaAuditLog.jsonl()));
    Files.writeString(truncated, json.substring(0, json.length() / 2));
    assertThatThrownBy(() -> LedgerJson.read(truncated))
        .isInstanceOf(LedgerException.class)
        .hasMessageStartingWith(truncated + ": not a usage ledger: invalid or truncated JSON");
    Path future = tmp.resolve("future.json");
    Files.writeString(future, json.replace(Ledger.API_VERSION, "rbac-synth.dev/v9"));
    assertThatThrownBy(() -> LedgerJson.read(future))
        .hasMessage(
            future
                + ": usage ledger of unknown apiVersion \"rbac-synth.dev/v9\" (this rbac-synth"
                + " reads "
                + Ledger.API_VERSION
                + ", rbac-synth.dev/v1alpha3 and rbac-synth.dev/v1alpha2)");
    Path other = tmp.resolve("role.json");
    Files.writeString(other, "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[]}");
    assertThatThrownBy(() -> LedgerJson.read(other))
        .hasMessage(other + ": not a usage ledger (kind is \"List\", expected UsageLedger)");
    Path empty = tmp.resolve("empty.json");
    Files.writeString(empty, "");
    assertThatThrownBy(() -> LedgerJson.read(empty)).isInstanceOf(LedgerException.class);
  }
}
