package dev.rbacsynth.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The stage merger's window of audit IDs holds what the insertion-ordered {@link LinkedHashMap}
 * that drops its eldest entry held before it (the model here), for the IDs the apiserver writes
 * (lower-case UUIDs, kept as two longs) and any other (kept as strings), mixed in one order.
 */
class AuditIdWindowTest {

  private static Map<String, Integer> model(int max) {
    return new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
        return size() > max;
      }
    };
  }

  private static AuditIdWindow.Key key(String id) {
    return new AuditIdWindow.Key().of(id);
  }

  /** The value of {@code id}, -1 when it is not in the window. */
  private static int get(AuditIdWindow window, String id) {
    int slot = window.slotOf(key(id));
    return slot < 0 ? -1 : window.value(slot);
  }

  /** What the stage merger does: the value of {@code id}, put with {@code value} when new. */
  private static int putIfAbsent(AuditIdWindow window, String id, int value) {
    AuditIdWindow.Key key = key(id);
    int slot = window.slotOf(key);
    if (slot >= 0) {
      return window.value(slot);
    }
    assertThat(window.value(window.put(key, value))).isEqualTo(value);
    return -1;
  }

  @Test
  void holdsWhatAnInsertionOrderedMapOfTheLastIdsHolds() {
    Random random = new Random(12);
    for (int max : List.of(1, 2, 7, 100, 3000)) {
      // fewer distinct IDs than operations, so that IDs come back while in the window and after
      String[] ids = new String[max * 3 + 5];
      for (int k = 0; k < ids.length; k++) {
        UUID u = new UUID(random.nextLong(), random.nextLong());
        ids[k] =
            switch (k % 5) {
              case 0 -> u.toString().toUpperCase(java.util.Locale.ROOT); // a string, not a UUID
              case 1 -> "req-" + k; // a client's own Audit-ID
              case 2 -> u.toString() + '\0' + "1f"; // a reused ID's key
              default -> u.toString();
            };
      }
      Map<String, Integer> model = model(max);
      AuditIdWindow window = new AuditIdWindow(max);
      for (int op = 0; op < max * 40 + 100; op++) {
        String id = ids[random.nextInt(ids.length)];
        int value = random.nextInt(1000);
        Integer before = model.putIfAbsent(id, value);
        assertThat(putIfAbsent(window, id, value)).isEqualTo(before == null ? -1 : before);
        if (random.nextInt(4) == 0) { // a value changed in place (the merger marks a request done)
          int changed = random.nextInt(1000);
          window.value(window.slotOf(key(id)), changed);
          model.put(id, changed); // an existing key keeps its place in the order
        }
        String probe = ids[random.nextInt(ids.length)];
        assertThat(window.slotOf(key(probe)) >= 0).isEqualTo(model.containsKey(probe));
        assertThat(get(window, probe)).isEqualTo(model.getOrDefault(probe, -1));
        assertThat(window.size()).isEqualTo(model.size());
      }
      for (String id : ids) {
        assertThat(get(window, id)).as(id).isEqualTo(model.getOrDefault(id, -1));
      }
    }
  }

  @Test
  void aUuidAndTheSameTextInUpperCaseAreTwoIds() {
    AuditIdWindow window = new AuditIdWindow(10);
    String id = "09bc585a-2448-23f2-de44-31fa3c80db06";
    putIfAbsent(window, id, 1);
    assertThat(get(window, id.toUpperCase(java.util.Locale.ROOT))).isEqualTo(-1);
    assertThat(putIfAbsent(window, id.toUpperCase(java.util.Locale.ROOT), 2)).isEqualTo(-1);
    assertThat(get(window, id)).isEqualTo(1);
    assertThat(get(window, "09bc585a-2448-23f2-de44-31fa3c80db0g")).isEqualTo(-1);
  }
}
