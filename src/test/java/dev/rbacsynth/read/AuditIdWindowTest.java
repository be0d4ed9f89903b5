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
        assertThat(window.putIfAbsent(key(id), value, -1)).isEqualTo(before == null ? -1 : before);
        String probe = ids[random.nextInt(ids.length)];
        assertThat(window.contains(key(probe))).isEqualTo(model.containsKey(probe));
        assertThat(window.get(key(probe), -1)).isEqualTo(model.getOrDefault(probe, -1));
        assertThat(window.size()).isEqualTo(model.size());
      }
      for (String id : ids) {
        assertThat(window.get(key(id), -1)).as(id).isEqualTo(model.getOrDefault(id, -1));
      }
    }
  }

  @Test
  void aUuidAndTheSameTextInUpperCaseAreTwoIds() {
    AuditIdWindow window = new AuditIdWindow(10);
    String id = "09bc585a-2448-23f2-de44-31fa3c80db06";
    window.putIfAbsent(key(id), 1, -1);
    assertThat(window.contains(key(id.toUpperCase(java.util.Locale.ROOT)))).isFalse();
    assertThat(window.putIfAbsent(key(id.toUpperCase(java.util.Locale.ROOT)), 2, -1)).isEqualTo(-1);
    assertThat(window.get(key(id), -1)).isEqualTo(1);
    assertThat(window.contains(key("09bc585a-2448-23f2-de44-31fa3c80db0g"))).isFalse();
  }
}
