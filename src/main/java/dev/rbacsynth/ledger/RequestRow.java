package dev.rbacsynth.ledger;

import dev.rbacsynth.aggregate.EpochNanos;
import dev.rbacsynth.attributes.Outcome;
import dev.rbacsynth.event.AuditIds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongPredicate;

/**
 * One request of one subject, over every day the ledger holds: per {@link Outcome} the count and
 * the first and last time; per UTC day the count of each outcome (enough to apply a window later);
 * the groups its user had on every occurrence, the smallest implication, whether it was only ever a
 * dry run, and the {@link #SAMPLES} smallest audit IDs and user agents (so that merging is
 * commutative). Every field merges with a sum, a minimum, a maximum, an intersection, an AND or a
 * bounded union, so merging is commutative and associative.
 *
 * <p>Mutable while a ledger is built (by {@link LedgerCollector} or a reader); a built ledger does
 * not change it. Rows read back from elsewhere (a database) are made with {@link #of}.
 */
public final class RequestRow {
  /** How many audit IDs and user agents are kept as samples. */
  public static final int SAMPLES = 3;

  private static final Outcome[] OUTCOMES = Outcome.values();
  private static final int N = OUTCOMES.length;
  private static final long[] NO_LONGS = new long[0];
  private static final String[] NO_SAMPLES = new String[0];

  /** No time (epoch nanoseconds). */
  static final long NO_TIME = EpochNanos.NONE;

  /** While a row is read: the outcome's time is the row's ({@link #finishRead}). */
  static final long UNSET = Long.MIN_VALUE + 1;

  // The numbers of a row in one array, for the outcomes seen only (a ledger holds hundreds of
  // thousands of rows, nearly all with one outcome and one day: every array, header and unused
  // slot counts). With m outcomes seen ({@code outcomes}: a bit per ordinal), in ordinal order:
  // per outcome its count, first and last time (epoch nanoseconds, {@link #NO_TIME} for none) at
  // 3i, 3i + 1, 3i + 2; then per UTC day, in the order of the days, the day ({@link Days}) and the
  // count of each outcome seen, m + 1 longs a day.
  private byte outcomes;
  private long[] data = NO_LONGS;
  private Set<String> commonGroups; // null until the first occurrence
  private String implication = "";
  private boolean onlyDryRun = true;
  // The sample audit IDs, sorted as strings. Real apiservers write UUIDs in their canonical
  // lowercase text, which sorts as its 128-bit number does: those are kept as two longs each
  // (most and least significant bits, in {@code ids}). Once an ID of any other form is sampled the
  // row keeps its samples as text ({@code textIds}, then not null) and {@code ids} is unused.
  private long[] ids = NO_LONGS;
  private String[] textIds;
  private String[] userAgents = NO_SAMPLES; // sorted; shared between rows by the Interner

  RequestRow() {}

  // ---------------------------------------------------------------- the layout of data

  private int seen() {
    return Integer.bitCount(outcomes);
  }

  /** The ordinal of the outcome in each slot, in slot order. */
  private int[] ordinals() {
    int[] ordinals = new int[seen()];
    for (int k = 0, j = 0; k < N; k++) {
      if ((outcomes & (1 << k)) != 0) {
        ordinals[j++] = k;
      }
    }
    return ordinals;
  }

  /** Where outcome {@code o} (seen) is among the outcomes seen. */
  private int slot(int o) {
    return Integer.bitCount(outcomes & ((1 << o) - 1));
  }

  private int dayCount() {
    int m = seen();
    return (data.length - 3 * m) / (m + 1);
  }

  /** The slot of outcome {@code o}, which is made room for (zero count, no times) when not seen. */
  private int outcome(int o) {
    if ((outcomes & (1 << o)) == 0) {
      int m = seen();
      int days = dayCount();
      int bits = outcomes | (1 << o);
      int m2 = Integer.bitCount(bits);
      long[] d = new long[3 * m2 + days * (m2 + 1)];
      int at = Integer.bitCount(bits & ((1 << o) - 1));
      // the outcomes before and after the new one, then every day with a zero count for it
      System.arraycopy(data, 0, d, 0, 3 * at);
      d[3 * at] = 0;
      d[3 * at + 1] = NO_TIME;
      d[3 * at + 2] = NO_TIME;
      System.arraycopy(data, 3 * at, d, 3 * at + 3, 3 * (m - at));
      for (int j = 0; j < days; j++) {
        int from = 3 * m + j * (m + 1);
        int to = 3 * m2 + j * (m2 + 1);
        d[to] = data[from];
        System.arraycopy(data, from + 1, d, to + 1, at);
        System.arraycopy(data, from + 1 + at, d, to + 2 + at, m - at);
      }
      data = d;
      outcomes = (byte) bits;
    }
    return slot(o);
  }

  /**
   * A row read back (from JSON or a database).
   *
   * @param outcomes count, first and last time per outcome
   * @param days per UTC day ({@link Days}), the count of each outcome that day; the counts of an
   *     outcome over the days add up to its count in {@code outcomes}
   */
  public static RequestRow of(
      Map<Outcome, Stats> outcomes,
      SortedMap<Long, Map<Outcome, Long>> days,
      Collection<String> commonGroups,
      String implication,
      boolean onlyDryRun,
      Collection<String> auditIDs,
      Collection<String> userAgents) {
    RequestRow r = new RequestRow();
    outcomes.forEach(
        (o, s) ->
            r.readOutcome(
                o.ordinal(), s.count(), EpochNanos.of(s.first()), EpochNanos.of(s.last())));
    days.forEach((day, byOutcome) -> byOutcome.forEach((o, n) -> r.readDay(day, o.ordinal(), n)));
    r.commonGroups = Collections.unmodifiableSortedSet(new TreeSet<>(commonGroups));
    r.implication = implication;
    r.onlyDryRun = onlyDryRun;
    auditIDs.forEach(r::sampleAuditID);
    userAgents.forEach(a -> r.userAgents = sample(r.userAgents, a));
    return r;
  }

  // ---------------------------------------------------------------- reading back, field by field

  /** An outcome's count and times ({@link #UNSET}: the row's first or last time). */
  void readOutcome(int outcome, long count, long firstNanos, long lastNanos) {
    int i = 3 * outcome(outcome);
    data[i] = count;
    data[i + 1] = firstNanos;
    data[i + 2] = lastNanos;
  }

  void readDay(long day, int outcome, long count) {
    int i = outcome(outcome);
    int at = dayAt(day); // before data is read: dayAt may replace it
    data[at + 1 + i] += count;
  }

  void readCommonGroups(Set<String> groups) {
    commonGroups = groups;
  }

  void readImplication(String implication) {
    this.implication = implication;
  }

  void readOnlyDryRun(boolean onlyDryRun) {
    this.onlyDryRun = onlyDryRun;
  }

  void readAuditID(String auditID) {
    sampleAuditID(auditID);
  }

  void readUserAgent(String userAgent) {
    userAgents = sample(userAgents, userAgent);
  }

  /** Ends reading: the outcomes' unset times become the row's. */
  void finishRead(long firstSeen, long lastSeen) {
    for (int i = 0, m = seen(); i < m; i++) {
      if (data[3 * i + 1] == UNSET) {
        data[3 * i + 1] = firstSeen;
      }
      if (data[3 * i + 2] == UNSET) {
        data[3 * i + 2] = lastSeen;
      }
    }
    if (commonGroups == null) {
      commonGroups = Set.of();
    }
  }

  /** The same row with {@code shared} (an equal, shared set) as its common groups. */
  RequestRow sharing(Set<String> shared) {
    if (commonGroups != null && commonGroups.equals(shared)) {
      commonGroups = shared;
    }
    return this;
  }

  /** Adds one occurrence. {@code groups} and the strings are interned by the caller. */
  void add(
      Outcome outcome,
      Instant time,
      long day,
      List<String> groups,
      Interner interner,
      String implied,
      boolean dryRun,
      String auditID,
      String userAgent) {
    int o = outcome.ordinal();
    int i = outcomes == (1 << o) ? 0 : outcome(o); // most rows: one outcome, always the same
    long[] d = data;
    d[3 * i]++;
    if (time != null) {
      long t = EpochNanos.of(time);
      d[3 * i + 1] = EpochNanos.min(d[3 * i + 1], t);
      d[3 * i + 2] = EpochNanos.max(d[3 * i + 2], t);
    }
    int m = seen();
    int at = d.length == 4 * m + 1 && d[3 * m] == day ? 3 * m : dayAt(day); // one day: that one?
    data[at + 1 + i]++;
    if (commonGroups == null) {
      commonGroups = interner.set(groups);
    } else if (!commonGroups.isEmpty() && !groups.containsAll(commonGroups)) {
      List<String> kept = new ArrayList<>(commonGroups);
      kept.retainAll(groups);
      commonGroups = interner.set(kept);
    }
    if (!implied.isEmpty() && (implication.isEmpty() || implied.compareTo(implication) < 0)) {
      implication = interner.intern(implied); // the smallest: independent of the order
    }
    onlyDryRun &= dryRun;
    if (auditID != null && !auditID.isEmpty()) {
      sampleAuditID(auditID);
    }
    // interned only when it is taken: most occurrences bring a user agent the row has already
    if (userAgent != null
        && !userAgent.isEmpty()
        && mayTake(userAgents, userAgent)
        && Arrays.binarySearch(userAgents, userAgent) < 0) {
      userAgents = interner.samples(sample(userAgents, interner.intern(userAgent)));
    }
  }

  /** Where {@code day} starts in {@link #data}, added (with zero counts) when missing. */
  private int dayAt(long day) {
    long[] d = data;
    int m = seen();
    int start = 3 * m;
    int stride = m + 1;
    int lo = 0;
    int hi = dayCount() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      long v = d[start + mid * stride];
      if (v < day) {
        lo = mid + 1;
      } else if (v > day) {
        hi = mid - 1;
      } else {
        return start + mid * stride;
      }
    }
    int at = start + lo * stride;
    long[] grown = new long[d.length + stride];
    System.arraycopy(d, 0, grown, 0, at);
    grown[at] = day;
    System.arraycopy(d, at, grown, at + stride, d.length - at);
    data = grown;
    return at;
  }

  void merge(RequestRow o) {
    int[] ordinals = o.ordinals();
    int om = ordinals.length;
    for (int k : ordinals) {
      outcome(k);
    }
    for (int j = 0; j < om; j++) {
      int i = 3 * slot(ordinals[j]);
      data[i] += o.data[3 * j];
      data[i + 1] = EpochNanos.min(data[i + 1], o.data[3 * j + 1]);
      data[i + 2] = EpochNanos.max(data[i + 2], o.data[3 * j + 2]);
    }
    for (int j = 3 * om; j < o.data.length; j += om + 1) {
      int at = dayAt(o.data[j]);
      for (int k = 0; k < om; k++) {
        data[at + 1 + slot(ordinals[k])] += o.data[j + 1 + k];
      }
    }
    if (o.commonGroups != null) {
      if (commonGroups == null) {
        commonGroups = o.commonGroups;
      } else if (!o.commonGroups.containsAll(commonGroups)) {
        TreeSet<String> kept = new TreeSet<>(commonGroups);
        kept.retainAll(o.commonGroups);
        commonGroups = Collections.unmodifiableSortedSet(kept);
      }
    }
    if (!o.implication.isEmpty()
        && (implication.isEmpty() || o.implication.compareTo(implication) < 0)) {
      implication = o.implication;
    }
    onlyDryRun &= o.onlyDryRun;
    if (o.textIds == null && textIds == null) {
      for (int i = 0; i < o.ids.length; i += 2) {
        samplePacked(o.ids[i], o.ids[i + 1]);
      }
    } else {
      for (String a : o.auditIDs()) {
        sampleAuditID(a);
      }
    }
    if (userAgents.length == 0) {
      userAgents = o.userAgents; // the same samples (arrays are never changed)
    } else if (o.userAgents != userAgents) {
      for (String a : o.userAgents) {
        userAgents = sample(userAgents, a);
      }
    }
  }

  RequestRow copy() {
    RequestRow r = new RequestRow();
    r.merge(this);
    return r;
  }

  /**
   * The days kept by {@code keep}, or null when none is left. Counts are exact per day; a first or
   * last time on a day left out becomes the start or end of the nearest kept day with that outcome
   * (a ledger keeps days, not events). Groups, implication, dry run and samples are the whole
   * row's. The slices of all days of a row merge back into the row.
   */
  public RequestRow slice(LongPredicate keep) {
    RequestRow r = new RequestRow();
    int[] ordinals = ordinals();
    int m = ordinals.length;
    // the outcomes with occurrences on a kept day, then the kept days
    for (int j = 3 * m; j < data.length; j += m + 1) {
      if (keep.test(data[j])) {
        for (int i = 0; i < m; i++) {
          if (data[j + 1 + i] > 0) {
            r.outcome(ordinals[i]);
          }
        }
      }
    }
    for (int j = 3 * m; j < data.length; j += m + 1) {
      if (!keep.test(data[j])) {
        continue;
      }
      int at = r.dayAt(data[j]);
      for (int i = 0; i < m; i++) {
        long n = data[j + 1 + i];
        if (n > 0) {
          int ri = r.slot(ordinals[i]);
          r.data[at + 1 + ri] += n;
          r.data[3 * ri] += n;
        }
      }
    }
    if (r.dayCount() == 0) {
      return null;
    }
    int rm = r.seen();
    for (int i = 0; i < m; i++) {
      if ((r.outcomes & (1 << ordinals[i])) == 0) {
        continue;
      }
      int ri = r.slot(ordinals[i]);
      long firstDay = Long.MAX_VALUE;
      long lastDay = Long.MIN_VALUE;
      for (int j = 3 * rm; j < r.data.length; j += rm + 1) {
        if (r.data[j + 1 + ri] > 0 && r.data[j] != Days.NONE) {
          firstDay = Math.min(firstDay, r.data[j]);
          lastDay = Math.max(lastDay, r.data[j]);
        }
      }
      if (firstDay == Long.MAX_VALUE || data[3 * i + 1] == NO_TIME) {
        continue; // only occurrences without a time
      }
      long from = EpochNanos.of(Days.start(firstDay));
      long to = EpochNanos.of(Days.start(lastDay + 1)) - 1;
      r.data[3 * ri + 1] = Math.min(Math.max(data[3 * i + 1], from), to);
      r.data[3 * ri + 2] = Math.max(Math.min(data[3 * i + 2], to), from);
    }
    r.commonGroups = commonGroups;
    r.implication = implication;
    r.onlyDryRun = onlyDryRun;
    r.ids = ids; // arrays are replaced, never changed: sharing them is safe
    r.textIds = textIds;
    r.userAgents = userAgents;
    return r;
  }

  // ---------------------------------------------------------------- sample audit IDs

  /** Keeps {@code id} when it is among the {@link #SAMPLES} smallest (as strings). */
  private void sampleAuditID(String id) {
    if (id == null || id.isEmpty()) {
      return;
    }
    if (textIds == null) {
      // most IDs of a full row are larger than its largest sample: told by their first four
      // characters (exact for any string: both compare as the strings do)
      if (ids.length == 2 * SAMPLES
          && Long.compareUnsigned(prefix(id), hexPrefix(ids[2 * SAMPLES - 2])) > 0) {
        return;
      }
      if (AuditIds.isCanonicalUuid(id)) {
        samplePacked(AuditIds.high(id), AuditIds.low(id));
        return;
      }
      // not a UUID in canonical text: this row's samples are text from now on
      textIds = auditIDs().toArray(new String[0]);
      ids = NO_LONGS;
    }
    textIds = sample(textIds, id);
  }

  /** Keeps the UUID (msb, lsb) when it is among the {@link #SAMPLES} smallest. */
  private void samplePacked(long msb, long lsb) {
    long[] kept = ids;
    int n = kept.length / 2;
    int at = n;
    for (int i = 0; i < n; i++) {
      int c = Long.compareUnsigned(msb, kept[2 * i]);
      if (c == 0) {
        c = Long.compareUnsigned(lsb, kept[2 * i + 1]);
      }
      if (c == 0) {
        return; // kept already
      }
      if (c < 0) {
        at = i;
        break;
      }
    }
    if (at >= SAMPLES) {
      return;
    }
    int m = Math.min(SAMPLES, n + 1);
    long[] s = new long[2 * m];
    System.arraycopy(kept, 0, s, 0, 2 * at);
    s[2 * at] = msb;
    s[2 * at + 1] = lsb;
    System.arraycopy(kept, 2 * at, s, 2 * at + 2, 2 * (m - at - 1));
    ids = s;
  }

  /**
   * The first four UTF-16 units of {@code s} (0 past its end), as one number that orders as the
   * strings do where it differs: {@code prefix(a) < prefix(b)} (unsigned) means {@code a < b}.
   */
  private static long prefix(String s) {
    long p = 0;
    for (int i = 0; i < 4; i++) {
      p = p << 16 | (i < s.length() ? s.charAt(i) : 0);
    }
    return p;
  }

  /** {@link #prefix} of the canonical text of a UUID whose high bits are {@code msb}. */
  private static long hexPrefix(long msb) {
    long p = 0;
    for (int i = 0; i < 4; i++) {
      int nibble = (int) (msb >>> (60 - 4 * i)) & 0xf;
      p = p << 16 | (nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
    }
    return p;
  }

  private static boolean mayTake(String[] kept, String value) {
    return kept.length < SAMPLES || value.compareTo(kept[kept.length - 1]) < 0;
  }

  /** {@code kept} with {@code value} when it is among the {@link #SAMPLES} smallest. */
  private static String[] sample(String[] kept, String value) {
    if (value == null || value.isEmpty()) {
      return kept;
    }
    int i = Arrays.binarySearch(kept, value);
    if (i >= 0) {
      return kept;
    }
    int at = -i - 1;
    if (at >= SAMPLES) {
      return kept;
    }
    int n = Math.min(SAMPLES, kept.length + 1);
    String[] s = new String[n];
    System.arraycopy(kept, 0, s, 0, at);
    s[at] = value;
    System.arraycopy(kept, at, s, at + 1, n - at - 1);
    return s;
  }

  // ---------------------------------------------------------------- the row, read

  /** Count, first and last time per outcome seen. */
  public Map<Outcome, Stats> outcomes() {
    Map<Outcome, Stats> m = new EnumMap<>(Outcome.class);
    for (int k = 0; k < N; k++) {
      if ((outcomes & (1 << k)) != 0) {
        int i = 3 * slot(k);
        if (data[i] > 0) {
          m.put(
              OUTCOMES[k],
              new Stats(data[i], EpochNanos.instant(data[i + 1]), EpochNanos.instant(data[i + 2])));
        }
      }
    }
    return m;
  }

  /** How many outcomes were seen. */
  int outcomeCount() {
    int n = 0;
    for (int i = 0, m = seen(); i < m; i++) {
      n += data[3 * i] > 0 ? 1 : 0;
    }
    return n;
  }

  public Stats total() {
    long n = 0;
    long f = NO_TIME;
    long l = NO_TIME;
    for (int i = 0, m = seen(); i < m; i++) {
      n += data[3 * i];
      f = EpochNanos.min(f, data[3 * i + 1]);
      l = EpochNanos.max(l, data[3 * i + 2]);
    }
    return new Stats(n, EpochNanos.instant(f), EpochNanos.instant(l));
  }

  /** Per UTC day, the count of each outcome seen that day. */
  public SortedMap<Long, Map<Outcome, Long>> days() {
    SortedMap<Long, Map<Outcome, Long>> m = new TreeMap<>();
    long[] days = dayNumbers();
    for (int i = 0; i < days.length; i++) {
      long[] counts = dayCounts(i);
      Map<Outcome, Long> byOutcome = new EnumMap<>(Outcome.class);
      for (int k = 0; k < N; k++) {
        if (counts[k] > 0) {
          byOutcome.put(OUTCOMES[k], counts[k]);
        }
      }
      m.put(days[i], byOutcome);
    }
    return m;
  }

  /** The days, sorted ({@link Days}). */
  public long[] dayNumbers() {
    long[] d = new long[dayCount()];
    int m = seen();
    for (int i = 0; i < d.length; i++) {
      d[i] = data[3 * m + i * (m + 1)];
    }
    return d;
  }

  /** The count of each outcome on the day at {@code index} of {@link #dayNumbers()}, in order. */
  long[] dayCounts(int index) {
    int m = seen();
    int at = 3 * m + index * (m + 1) + 1;
    long[] counts = new long[N];
    for (int k = 0, i = 0; k < N; k++) {
      if ((outcomes & (1 << k)) != 0) {
        counts[k] = data[at + i++];
      }
    }
    return counts;
  }

  public Set<String> commonGroups() {
    return commonGroups == null ? Set.of() : commonGroups;
  }

  public String implication() {
    return implication;
  }

  public boolean onlyDryRun() {
    return onlyDryRun;
  }

  /** The sample audit IDs, sorted. */
  public List<String> auditIDs() {
    if (textIds != null) {
      return List.of(textIds);
    }
    String[] out = new String[ids.length / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = AuditIds.text(ids[2 * i], ids[2 * i + 1]);
    }
    return List.of(out);
  }

  /** The smallest sample audit ID ({@link #auditIDs}' first), "" when there is none. */
  String firstAuditID() {
    if (textIds != null) {
      return textIds.length == 0 ? "" : textIds[0];
    }
    return ids.length == 0 ? "" : AuditIds.text(ids[0], ids[1]);
  }

  /** The user agents, sorted (the row's own array: not to be changed). */
  String[] userAgentArray() {
    return userAgents;
  }

  public List<String> userAgents() {
    return List.of(userAgents);
  }
}
