package dev.rbacsynth.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rbacsynth.HkermaAuditLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ledger's JSON form, {@code rbac-synth.dev/v1alpha4}: the tables rows refer to, what a row
 * leaves out, the earlier {@code v1alpha2} read by the same code, and merging through files in any
 * order.
 */
class LedgerJsonTest {
  @TempDir Path tmp;

  /** The first 150 lines of the real hkerma log: requests still open at its end (pending). */
  private Path hkermaHead() throws IOException {
    List<String> lines = Files.readAllLines(HkermaAuditLog.jsonl(), StandardCharsets.UTF_8);
    Path head = tmp.resolve("hkerma-head-150.log");
    Files.write(head, lines.subList(0, 150), StandardCharsets.UTF_8);
    return head;
  }

  /**
   * testdata/ledger/hkerma-head-150.v1alpha2.json is what rbac-synth wrote (format v1alpha2) for
   * the same 150 lines: read today, it is the ledger collected today, byte for byte.
   */
  @Test
  void aV1alpha2LedgerIsReadAsTheLedgerOfTheSameLog() throws IOException {
    Path old = Path.of("testdata/ledger/hkerma-head-150.v1alpha2.json");
    assertThat(Files.readString(old)).contains("\"apiVersion\": \"rbac-synth.dev/v1alpha2\"");
    // collected as the collect command does (with the file in the source registry)
    Ledger fresh =
        Collect.collect(
                List.of(hkermaHead().toString()),
                List.of(),
                System.in,
                List.of(),
                null,
                null,
                "",
                "",
                null,
                true,
                u -> u)
            .ledger();
    assertThat(fresh.pending()).isNotEmpty();
    // HkermaAuditLog writes the fields of an event in an order that may change from run to run:
    // the same events, other bytes, so another fingerprint of the file
    String sha = "\"fingerprint\":\"sha256:[0-9a-f]{64}\"";
    String read = LedgerJson.toJson(LedgerJson.read(old));
    assertThat(read.replaceAll(sha, "SHA"))
        .isEqualTo(LedgerJson.toJson(fresh).replaceAll(sha, "SHA"));
    assertThat(read).contains("\"apiVersion\": \"rbac-synth.dev/v1alpha4\"");
    // and merging it with itself adds nothing (the same file, by fingerprint and range)
    assertThat(
            LedgerJson.toJson(Ledger.mergeAll(List.of(LedgerJson.read(old), LedgerJson.read(old)))))
        .isEqualTo(read);
  }

  @Test
  void rowsReferToTheTablesAndLeaveOutWhatFollowsFromTheRest() throws IOException {
    String json = LedgerJson.toJson(LedgerTest.collect(HkermaAuditLog.jsonl()));
    JsonNode root = JsonMapper.builder().build().readTree(json);
    assertThat(root.get("apiVersion").asString()).isEqualTo("rbac-synth.dev/v1alpha4");
    List<String> fields = new ArrayList<>();
    fields.addAll(root.propertyNames());
    assertThat(fields)
        .containsExactly(
            "apiVersion", "kind", "observation", "userAgents", "groupSets", "subjects", "pending");
    JsonNode sets = root.get("groupSets");
    assertThat(sets.size()).isGreaterThan(1);
    List<String> sorted = new ArrayList<>();
    sets.forEach(s -> sorted.add(s.toString()));
    for (JsonNode set : sets) {
      List<String> groups = new ArrayList<>();
      set.forEach(g -> groups.add(g.asString()));
      assertThat(groups).isSorted().doesNotHaveDuplicates();
    }
    assertThat(sorted).doesNotHaveDuplicates();
    int rows = 0;
    int denied = 0;
    for (JsonNode subject : root.get("subjects")) {
      assertThat(subject.get("groups").isInt()).isTrue();
      for (JsonNode day : subject.get("days")) {
        assertThat(day.get("groups").asInt()).isBetween(0, sets.size() - 1);
      }
      for (JsonNode row : subject.get("requests")) {
        rows++;
        assertThat(row.has("commonGroups")).isFalse();
        if (row.has("groups")) {
          assertThat(row.get("groups").asInt()).isBetween(0, sets.size() - 1);
        }
        // lastSeen only when it differs from firstSeen
        if (row.get("count").asLong() == 1) {
          assertThat(row.has("lastSeen")).as(row.toString()).isFalse();
        }
        if (row.has("lastSeen")) {
          assertThat(row.get("lastSeen").asString()).isNotEqualTo(row.get("firstSeen").asString());
        }
        // outcomes only when not every occurrence was allowed
        if (row.has("outcomes")) {
          denied++;
          List<String> outcomes = new ArrayList<>();
          outcomes.addAll(row.get("outcomes").propertyNames());
          assertThat(outcomes).isNotEqualTo(List.of("ALLOWED"));
        }
      }
    }
    assertThat(rows).isGreaterThan(1000);
    assertThat(denied).isPositive();
    // the hkerma log has no user agents; a ledger with some has them in the table, by index
    assertThat(root.get("userAgents").size()).isZero();
  }

  /**
   * A large ledger's subjects and open requests are rendered on several threads, in tasks: into the
   * same bytes, whatever the size of a task.
   */
  @Test
  void sectionsRenderedOnSeveralThreadsGiveTheSameBytes() throws IOException {
    Ledger whole = LedgerTest.collect(HkermaAuditLog.jsonl());
    Ledger open = LedgerTest.collect(hkermaHead());
    assertThat(whole.subjects()).hasSizeGreaterThan(2);
    assertThat(open.pending()).hasSizeGreaterThan(3);
    for (Ledger l : List.of(whole, open)) {
      ByteArrayOutputStream serial = new ByteArrayOutputStream();
      LedgerJson.write(l, serial, Long.MAX_VALUE, 2_000);
      assertThat(serial.toString(StandardCharsets.UTF_8)).isEqualTo(LedgerJson.toJson(l));
      for (int fragmentsATask : List.of(1, 3)) {
        ByteArrayOutputStream parallel = new ByteArrayOutputStream();
        LedgerJson.write(l, parallel, 0, fragmentsATask);
        assertThat(parallel.toString(StandardCharsets.UTF_8))
            .isEqualTo(serial.toString(StandardCharsets.UTF_8));
      }
    }
  }

  @Test
  void userAgentsAreATableOfSortedStringsRowsReferToByIndex() throws IOException {
    Ledger l = LedgerTest.collect(Path.of("testdata/formats/alcide-testdata-01.jsonl"));
    String json = LedgerJson.toJson(l);
    JsonNode root = JsonMapper.builder().build().readTree(json);
    List<String> agents = new ArrayList<>();
    root.get("userAgents").forEach(a -> agents.add(a.asString()));
    assertThat(agents).isNotEmpty().isSorted().doesNotHaveDuplicates();
    List<String> used = new ArrayList<>();
    for (JsonNode subject : root.get("subjects")) {
      for (JsonNode row : subject.get("requests")) {
        row.get("userAgents").forEach(i -> used.add(agents.get(i.asInt())));
      }
    }
    assertThat(used).containsAll(agents);
    Ledger back = LedgerJson.fromJson(json, "l.json");
    assertThat(back.subjects().values().iterator().next().requests().values())
        .allSatisfy(r -> assertThat(agents).containsAll(r.userAgents()));
    assertThat(LedgerJson.toJson(back)).isEqualTo(json);
  }

  /** Parts of the real log, each through its own file, merged in any order: the whole's bytes. */
  @Test
  void partLedgersReadFromFilesMergeInAnyOrderIntoTheWhole() throws IOException {
    Path log = HkermaAuditLog.jsonl();
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    String whole = LedgerJson.toJson(LedgerTest.collect(log));
    int n = lines.size();
    int[] cuts = {5, 130, 2000, n / 2, n - 3};
    List<Path> files = new ArrayList<>();
    int from = 0;
    for (int i = 0; i <= cuts.length; i++) {
      int to = i < cuts.length ? cuts[i] : n;
      Path part = tmp.resolve("part-" + from + ".log");
      Files.write(part, lines.subList(from, to), StandardCharsets.UTF_8);
      Path ledger = tmp.resolve("part-" + from + ".json");
      LedgerJson.write(LedgerTest.collect(part), ledger);
      files.add(ledger);
      from = to;
    }
    Random random = new Random(12);
    for (int round = 0; round < 4; round++) {
      List<Path> order = new ArrayList<>(files);
      Collections.shuffle(order, random);
      List<Ledger> read = LedgerJson.readAll(order, u -> true);
      assertThat(LedgerJson.toJson(Ledger.mergeAll(read))).as("order %s", order).isEqualTo(whole);
      // read whole, the open requests are kept as their JSON (written as read where the tables
      // agree, built again where they do not or where they combine): the same bytes
      assertThat(LedgerJson.toJson(Ledger.mergeTaking(LedgerJson.readAll(order))))
          .as("packed, order %s", order)
          .isEqualTo(whole);
      // two halves merged and written apart, then merged: associativity through files
      Path a = tmp.resolve("a.json");
      Path b = tmp.resolve("b.json");
      LedgerJson.write(Ledger.mergeAll(read.subList(0, 3)), a);
      LedgerJson.write(Ledger.mergeAll(read.subList(3, read.size())), b);
      assertThat(
              LedgerJson.toJson(Ledger.mergeAll(List.of(LedgerJson.read(b), LedgerJson.read(a)))))
          .isEqualTo(whole);
    }
  }

  @Test
  void aBadTableIndexOrATableAfterTheRowsIsOneClearError() throws IOException {
    String json = LedgerJson.toJson(LedgerTest.collect(HkermaAuditLog.jsonl()));
    Path bad = tmp.resolve("bad.json");
    Files.writeString(bad, json.replaceFirst("\"groups\":0,", "\"groups\":99,"));
    assertThatThrownBy(() -> LedgerJson.read(bad))
        .isInstanceOf(LedgerException.class)
        .hasMessageStartingWith(bad + ": not a valid usage ledger: \"groups\": 99 is not an index")
        .hasMessageContaining("groupSets table")
        .hasMessageContaining("(line ");
    // the tables moved to the end: the rows cannot be read before them
    int sets = json.indexOf("  \"userAgents\": [");
    int subjects = json.indexOf("  \"subjects\": [");
    String moved =
        json.substring(0, sets)
            + json.substring(subjects, json.length() - 2)
            + ",\n"
            + json.substring(sets, subjects - 2)
            + "\n}\n";
    Path late = tmp.resolve("late.json");
    Files.writeString(late, moved);
    assertThat(JsonMapper.builder().build().readTree(moved).get("groupSets").size()).isPositive();
    assertThatThrownBy(() -> LedgerJson.read(late))
        .isInstanceOf(LedgerException.class)
        .hasMessageContaining("must come before \"subjects\"");
  }

  @Test
  void timesAreReadAsInstantReadsThem() {
    for (String t :
        List.of(
            "2026-05-04T10:00:10.606443Z",
            "2017-09-11T19:55:05Z",
            "2024-02-29T23:59:59.999999999Z",
            "1970-01-01T00:00:00.1Z",
            "2023-01-27T18:28:00.120Z",
            "1969-12-31T23:59:59.5Z",
            "2026-05-04T10:00:10.Z", // an empty fraction, which Instant.parse takes too
            "2026-05-04T10:00:10+01:00")) {
      Instant i = Instant.parse(t);
      assertThat(LedgerJson.epochNanos(t))
          .as(t)
          .isEqualTo(i.getEpochSecond() * 1_000_000_000L + i.getNano());
    }
    for (String t :
        List.of(
            "2023-02-29T00:00:00Z",
            "2026-05-04T24:00:00Z",
            "2026-05-04T10:00:10.1234567890Z",
            "2026-05-04 10:00:10Z",
            "9999-01-01T00:00:00Z")) {
      assertThat(LedgerJson.epochNanos(t)).as(t).isNull();
    }
  }
}
