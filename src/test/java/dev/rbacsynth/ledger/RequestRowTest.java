package dev.rbacsynth.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.attributes.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A row keeps its numbers for the outcomes it saw only, and canonical UUID samples as two longs:
 * whatever the layout, what it gives back is what a plain list of the occurrences gives.
 */
class RequestRowTest {
  private static final Instant T = Instant.parse("2023-01-27T18:28:08.123456Z");

  private static RequestRow row(List<Occurrence> occurrences) {
    RequestRow r = new RequestRow();
    Interner interner = new Interner();
    for (Occurrence o : occurrences) {
      r.add(o.outcome, o.time, Days.of(o.time), List.of("g"), interner, "", false, o.id, "ua");
    }
    return r;
  }

  record Occurrence(Outcome outcome, Instant time, String id) {}

  /** The three smallest IDs as strings, whatever their form. */
  private static List<String> smallest(List<Occurrence> occurrences) {
    TreeSet<String> ids = new TreeSet<>();
    occurrences.forEach(o -> ids.add(o.id));
    return new ArrayList<>(ids).subList(0, Math.min(RequestRow.SAMPLES, ids.size()));
  }

  private static List<Occurrence> occurrences(Random random, int n, boolean oddIds) {
    List<Occurrence> out = new ArrayList<>();
    Outcome[] outcomes = Outcome.values();
    for (int i = 0; i < n; i++) {
      String id = new UUID(random.nextLong(), random.nextLong()).toString();
      if (oddIds && random.nextInt(4) == 0) {
        // what a crafted or foreign log may hold: upper case, no dashes, short
        id =
            switch (random.nextInt(3)) {
              case 0 -> id.toUpperCase();
              case 1 -> id.replace("-", "");
              default -> id.substring(0, 1 + random.nextInt(8));
            };
      }
      out.add(
          new Occurrence(
              outcomes[random.nextInt(outcomes.length)],
              T.plusSeconds(random.nextInt(5 * 86_400)),
              id));
    }
    return out;
  }

  @Test
  void samplesAreTheSmallestIdsAsTheyWereWrittenWhateverTheirForm() {
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      List<Occurrence> o = occurrences(random, 1 + random.nextInt(12), round % 2 == 1);
      assertThat(row(o).auditIDs()).as("round %d", round).isEqualTo(smallest(o));
    }
  }

  @Test
  void countsTimesAndDaysAreThoseOfTheOccurrencesInAnyOrderAndAnySplit() {
    Random random = new Random(7);
    for (int round = 0; round < 200; round++) {
      List<Occurrence> o = occurrences(random, 1 + random.nextInt(20), round % 3 == 0);
      RequestRow whole = row(o);
      List<Occurrence> shuffled = new ArrayList<>(o);
      Collections.shuffle(shuffled, random);
      int cut = random.nextInt(shuffled.size() + 1);
      RequestRow a = row(shuffled.subList(0, cut));
      RequestRow b = row(shuffled.subList(cut, shuffled.size()));
      RequestRow ab = a.copy();
      ab.merge(b);
      RequestRow ba = b.copy();
      ba.merge(a);
      for (RequestRow r : List.of(ab, ba)) {
        assertThat(r.outcomes()).isEqualTo(whole.outcomes());
        assertThat(r.days()).isEqualTo(whole.days());
        assertThat(r.total()).isEqualTo(whole.total());
        assertThat(r.auditIDs()).isEqualTo(whole.auditIDs());
      }
      // the outcomes and days against a plain count of the occurrences
      for (Outcome outcome : Outcome.values()) {
        long n = o.stream().filter(x -> x.outcome == outcome).count();
        Stats s = whole.outcomes().get(outcome);
        assertThat(s == null ? 0 : s.count()).isEqualTo(n);
        if (n > 0) {
          assertThat(s.first())
              .isEqualTo(
                  o.stream()
                      .filter(x -> x.outcome == outcome)
                      .map(Occurrence::time)
                      .min(Instant::compareTo)
                      .orElseThrow());
        }
      }
      long days = o.stream().map(x -> Days.of(x.time)).distinct().count();
      assertThat(whole.dayNumbers()).hasSize((int) days);
    }
  }

  @Test
  void aSliceOfEveryDayMergesBackIntoTheRow() {
    Random random = new Random(3);
    for (int round = 0; round < 100; round++) {
      List<Occurrence> o = occurrences(random, 1 + random.nextInt(20), false);
      RequestRow whole = row(o);
      RequestRow back = null;
      for (long day : whole.dayNumbers()) {
        RequestRow slice = whole.slice(d -> d == day);
        assertThat(slice.dayNumbers()).containsExactly(day);
        if (back == null) {
          back = slice.copy();
        } else {
          back.merge(slice);
        }
      }
      assertThat(back.outcomes()).isEqualTo(whole.outcomes());
      assertThat(back.days()).isEqualTo(whole.days());
      assertThat(whole.slice(d -> false)).isNull();
    }
  }

  @Test
  void aRowReadBackIsTheRowWritten() {
    List<Occurrence> o = occurrences(new Random(11), 30, true);
    RequestRow r = row(o);
    RequestRow back =
        RequestRow.of(
            r.outcomes(),
            r.days(),
            r.commonGroups(),
            r.implication(),
            r.onlyDryRun(),
            r.auditIDs(),
            r.userAgents());
    assertThat(back.outcomes()).isEqualTo(r.outcomes());
    assertThat(back.days()).isEqualTo(r.days());
    assertThat(back.auditIDs()).isEqualTo(r.auditIDs());
    assertThat(back.userAgents()).containsExactly("ua");
  }
}
