package dev.rbacsynth.read;

import dev.rbacsynth.event.AuditIds;
import java.util.Arrays;

/**
 * The last {@code max} audit IDs put, each with an int, oldest out first: what a {@code
 * LinkedHashMap<String, Integer>} in insertion order that removes its eldest entry past {@code max}
 * holds, without an object per entry. Each stage merger keeps one window of 25 000 to 200 000 IDs:
 * as map entries they outlived many young collections and were copied at each (a third of the CPU
 * of {@code collect} on the 1 GB log went to collections).
 *
 * <p>An ID as the apiserver makes it (a UUID written in lower-case hex with dashes) is kept as two
 * longs, which map one to one to such strings; any other ID is kept as its string. Not thread-safe.
 */
final class AuditIdWindow {
  private static final long EMPTY = -1L;

  private static final int INITIAL = 1024;

  /** In a table entry: the key is a string (in {@link #other}), not a UUID. */
  private static final long STRING = 0x8000_0000L;

  private static final int SLOT = 0x7FFF_FFFF;

  private final int max;
  // the ring of entries in insertion order, the oldest at head; grown up to max as needed (a small
  // run does not pay for a large window). A UUID's two longs side by side: one cache line to
  // compare, where a lookup in a large window misses the cache at each array it reads.
  private long[] uuids; // high, low of slot k at 2k, 2k + 1
  private String[] other; // null: a UUID, in uuids
  private int[] values;
  private int head;
  private int size;
  // open addressing with linear probing: the hash of each key (high half), whether it is a string
  // (STRING) and its ring slot (low half), EMPTY where none; a probe compares hashes without
  // touching the ring, and a UUID's probe reads no string
  private long[] table;
  private int mask;

  AuditIdWindow(int max) {
    this.max = Math.max(1, max);
    allocate(Math.min(this.max, INITIAL));
  }

  private void allocate(int ring) {
    uuids = new long[2 * ring];
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
    long[] u = uuids;
    String[] o = other;
    int[] v = values;
    int n = size;
    int from = head;
    allocate(Math.min(max, o.length * 2));
    head = 0;
    size = 0;
    for (int k = 0; k < n; k++) {
      int slot = (from + k) % o.length;
      boolean isUuid = o[slot] == null;
      long h = u[2 * slot];
      long l = u[2 * slot + 1];
      insert(isUuid, o[slot], h, l, v[slot], hash(o[slot], isUuid, h, l));
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

  /**
   * Where {@code key} is in the ring, -1 when it is not in the window. A slot stays the key's until
   * the next {@link #put}.
   */
  int slotOf(Key key) {
    int at = find(key.id, key.uuid, key.high, key.low, key.hash);
    return at < 0 ? -1 : slotAt(at);
  }

  /**
   * Puts {@code key}, which is not in the window, with {@code value}, pushing the oldest out past
   * {@code max}; returns its slot.
   */
  int put(Key key, int value) {
    if (size == max) {
      removeOldest();
    } else if (size == other.length) {
      grow();
    }
    return insert(key.uuid, key.id, key.high, key.low, value, key.hash);
  }

  /** The value in {@code slot}. */
  int value(int slot) {
    return values[slot];
  }

  /** Sets the value in {@code slot}. */
  void value(int slot, int value) {
    values[slot] = value;
  }

  private int insert(boolean isUuid, String id, long h, long l, int value, int hash) {
    int slot = (head + size) % other.length;
    uuids[2 * slot] = h;
    uuids[2 * slot + 1] = l;
    other[slot] = isUuid ? null : id;
    values[slot] = value;
    size++;
    int i = hash & mask;
    while (table[i] != EMPTY) {
      i = (i + 1) & mask;
    }
    table[i] = (long) hash << 32 | (isUuid ? 0 : STRING) | slot;
    return slot;
  }

  private int slotAt(int i) {
    return (int) table[i] & SLOT;
  }

  private void removeOldest() {
    int slot = head;
    String s = other[slot];
    int i = find(s, s == null, uuids[2 * slot], uuids[2 * slot + 1], hashOfSlot(slot));
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
    head = (head + 1) % other.length;
    size--;
  }

  private int find(String id, boolean isUuid, long h, long l, int hash) {
    int i = hash & mask;
    long kind = isUuid ? 0 : STRING;
    while (true) {
      long e = table[i];
      if (e == EMPTY) {
        return -1;
      }
      if ((int) (e >>> 32) == hash && (e & STRING) == kind) {
        int slot = (int) e & SLOT;
        if (isUuid ? uuids[2 * slot] == h && uuids[2 * slot + 1] == l : id.equals(other[slot])) {
          return i;
        }
      }
      i = (i + 1) & mask;
    }
  }

  private int hashOfSlot(int slot) {
    String s = other[slot];
    return hash(s, s == null, uuids[2 * slot], uuids[2 * slot + 1]);
  }

  private static int hash(String id, boolean isUuid, long h, long l) {
    long x = isUuid ? h * 0x9E3779B97F4A7C15L ^ l : id.hashCode() * 0x9E3779B97F4A7C15L;
    x ^= x >>> 29;
    x *= 0xBF58476D1CE4E5B9L;
    return (int) (x ^ (x >>> 32));
  }
}
