package dev.rbacsynth.read;

import dev.rbacsynth.event.AuditIds;
import java.util.Arrays;

/**
 * The last {@code max} audit IDs put, each with an int, oldest out first: what a {@code
 * LinkedHashMap<String, Integer>} in insertion order that removes its eldest entry past {@code max}
 * holds, without an object per entry. The stage merger keeps two of these windows of 25 000 to 200
 * 000 IDs each: as map entries they outlived many young collections and were copied at each (a
 * third of the CPU of {@code collect} on the 1 GB log went to collections).
 *
 * <p>An ID as the apiserver makes it (a UUID written in lower-case hex with dashes) is kept as two
 * longs, which map one to one to such strings; any other ID is kept as its string. Not thread-safe.
 */
final class AuditIdWindow {
  private static final long EMPTY = -1L;

  private static final int INITIAL = 1024;

  private final int max;
  // the ring of entries in insertion order, the oldest at head; grown up to max as needed (a small
  // run does not pay for a large window)
  private long[] high;
  private long[] low;
  private String[] other; // null: a UUID, in high and low
  private int[] values;
  private int head;
  private int size;
  // open addressing with linear probing: the hash of each key (high half) and its ring slot (low
  // half), EMPTY where none; a probe compares hashes without touching the ring
  private long[] table;
  private int mask;

  AuditIdWindow(int max) {
    this.max = Math.max(1, max);
    allocate(Math.min(this.max, INITIAL));
  }

  private void allocate(int ring) {
    high = new long[ring];
    low = new long[ring];
    other = new String[ring];
    values = new int[ring];
    // at most half full
    int capacity = Integer.highestOneBit(Math.max(2, ring) * 2 - 1) << 1;
    table = new long[capacity];
    Arrays.fill(table, EMPTY);
    mask = capacity - 1;
  }

  /** A ring twice as large (at most max), the entries in the same order. */
  private void grow() {
    long[] h = high;
    long[] l = low;
    String[] o = other;
    int[] v = values;
    int n = size;
    int from = head;
    allocate(Math.min(max, h.length * 2));
    head = 0;
    size = 0;
    for (int k = 0; k < n; k++) {
      int slot = (from + k) % h.length;
      boolean isUuid = o[slot] == null;
      insert(isUuid, o[slot], h[slot], l[slot], v[slot], hash(o[slot], isUuid, h[slot], l[slot]));
    }
  }

  int size() {
    return size;
  }

  /** An audit ID as the window looks it up: read once, looked up in several windows. */
  static final class Key {
    private String id;
    private boolean uuid;
    private long high;
    private long low;
    private int hash;

    /** This key, now for {@code id}. */
    Key of(String id) {
      this.id = id;
      uuid = AuditIds.isCanonicalUuid(id);
      if (uuid) {
        high = AuditIds.high(id);
        low = AuditIds.low(id);
      }
      hash = AuditIdWindow.hash(id, uuid, high, low);
      return this;
    }
  }

  /** The value of {@code key}, or {@code absent} when it is not in the window. */
  int get(Key key, int absent) {
    int at = find(key.id, key.uuid, key.high, key.low, key.hash);
    return at < 0 ? absent : values[slotAt(at)];
  }

  boolean contains(Key key) {
    return find(key.id, key.uuid, key.high, key.low, key.hash) >= 0;
  }

  /**
   * Puts {@code key} with {@code value} unless it is there; returns its value then, else {@code
   * absent}. A new ID past {@code max} pushes the oldest out.
   */
  int putIfAbsent(Key key, int value, int absent) {
    int at = find(key.id, key.uuid, key.high, key.low, key.hash);
    if (at >= 0) {
      return values[slotAt(at)];
    }
    if (size == max) {
      removeOldest();
    } else if (size == high.length) {
      grow();
    }
    insert(key.uuid, key.id, key.high, key.low, value, key.hash);
    return absent;
  }

  private void insert(boolean isUuid, String id, long h, long l, int value, int hash) {
    int slot = (head + size) % high.length;
    high[slot] = h;
    low[slot] = l;
    other[slot] = isUuid ? null : id;
    values[slot] = value;
    size++;
    int i = hash & mask;
    while (table[i] != EMPTY) {
      i = (i + 1) & mask;
    }
    table[i] = entry(hash, slot);
  }

  private static long entry(int hash, int slot) {
    return (long) hash << 32 | slot;
  }

  private int slotAt(int i) {
    return (int) table[i];
  }

  private void removeOldest() {
    int slot = head;
    String s = other[slot];
    int i = find(s, s == null, high[slot], low[slot], hashOfSlot(slot));
    // backward-shift deletion: the entries after it in its probe run move up where they may
    table[i] = EMPTY;
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      long moved = table[j];
      if (moved == EMPTY) {
        break;
      }
      int home = (int) (moved >>> 32) & mask;
      // moved may go to i when i lies cyclically in [home, j)
      if (((j - home) & mask) >= ((j - i) & mask)) {
        table[i] = moved;
        table[j] = EMPTY;
        i = j;
      }
    }
    other[slot] = null;
    head = (head + 1) % high.length;
    size--;
  }

  private int find(String id, boolean isUuid, long h, long l, int hash) {
    int i = hash & mask;
    while (true) {
      long e = table[i];
      if (e == EMPTY) {
        return -1;
      }
      if ((int) (e >>> 32) == hash) {
        int slot = (int) e;
        String s = other[slot];
        if (isUuid ? s == null && high[slot] == h && low[slot] == l : id.equals(s)) {
          return i;
        }
      }
      i = (i + 1) & mask;
    }
  }

  private int hashOfSlot(int slot) {
    String s = other[slot];
    return hash(s, s == null, high[slot], low[slot]);
  }

  private static int hash(String id, boolean isUuid, long h, long l) {
    long x = isUuid ? h * 0x9E3779B97F4A7C15L ^ l : id.hashCode() * 0x9E3779B97F4A7C15L;
    x ^= x >>> 29;
    x *= 0xBF58476D1CE4E5B9L;
    return (int) (x ^ (x >>> 32));
  }
}
