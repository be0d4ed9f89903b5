package dev.rbacsynth.ledger;

import dev.rbacsynth.aggregate.EpochNanos;
import dev.rbacsynth.attributes.Outcome;
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
  private static final long[] NO_DAYS = new long[0];
  private static final String[] NO_SAMPLES = new String[0];

  /** No time (epoch nanoseconds). */
  static final long NO_TIME = EpochNanos.NONE;

  /** While a row is read: the outcome's time is the row's ({@link #finishRead}). */
  static final long UNSET = Long.MIN_VALUE + 1;

  private static long[] filled() {
    long[] a = new long[N];
    Arrays.fill(a, NO_TIME);
    return a;
  }

  private final long[] counts = new long[N];
  // epoch nanoseconds ({@link #NO_TIME} for none): no Instant of an event is kept
  private final long[] first = filled();
  private final long[] last = filled();
  private long[] days = NO_DAYS; // sorted epoch days ({@link Days})
  private long[] dayCounts = NO_DAYS; // N per day, in the order of days
  private Set<String> commonGroups; // null until the first occurrence
  private String implication = "";
  private boolean onlyDryRun = true;
  private String[] auditIDs = NO_SAMPLES; // sorted
  // prefix() of the largest audit ID kept: most audit IDs of a row that has its samples are larger,
  // which this tells without reading that string (one cache miss less an occurrence)
  private long auditIDCeiling;
  private String[] userAgents = NO_SAMPLES; // sorted

  RequestRow() {}

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
        (o, s) -> {
          r.counts[o.ordinal()] = s.count();
          r.first[o.ordinal()] = EpochNanos.of(s.first());
          r.last[o.ordinal()] = EpochNanos.of(s.last());
        });
    days.forEach(
        (day, byOutcome) -> {
          int i = r.dayIndex(day);
          byOutcome.forEach((o, n) -> r.dayCounts[i * N + o.ordinal()] += n);
        });
    r.commonGroups = Collections.unmodifiableSortedSet(new TreeSet<>(commonGroups));
    r.implication = implication;
    r.onlyDryRun = onlyDryRun;
    auditIDs.forEach(a -> r.auditIDs(sample(r.auditIDs, a)));
    userAgents.forEach(a -> r.userAgents = sample(r.userAgents, a));
    return r;
  }

  // ---------------------------------------------------------------- reading back, field by field

  /** An outcome's count and times ({@link #UNSET}: the row's first or last time). */
  void readOutcome(int outcome, long count, long firstNanos, long lastNanos) {
    counts[outcome] = count;
    first[outcome] = firstNanos;
    last[outcome] = lastNanos;
  }

  void readDay(long day, int outcome, long count) {
    int i = dayIndex(day);
    dayCounts[i * N + outcome] += count;
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
    auditIDs(sample(auditIDs, auditID));
  }

  void readUserAgent(String userAgent) {
    userAgents = sample(userAgents, userAgent);
  }

  /** Ends reading: the outcomes' unset times become the row's. */
  void finishRead(long firstSeen, long lastSeen) {
    for (int k = 0; k < N; k++) {
      if (first[k] == UNSET) {
        first[k] = firstSeen;
      }
      if (last[k] == UNSET) {
        last[k] = lastSeen;
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
    counts[o]++;
    if (time != null) {
      long t = EpochNanos.of(time);
      first[o] = EpochNanos.min(first[o], t);
      last[o] = EpochNanos.max(last[o], t);
    }
    int i = days.length == 1 && days[0] == day ? 0 : dayIndex(day);
    dayCounts[i * N + o]++;
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
    if (auditID != null && !auditID.isEmpty() && mayTakeAuditID(auditID)) {
      auditIDs(sample(auditIDs, auditID));
    }
    // interned only when it is taken: most occurrences bring a user agent the row has already
    if (userAgent != null
        && !userAgent.isEmpty()
        && mayTake(userAgents, userAgent)
        && Arrays.binarySearch(userAgents, userAgent) < 0) {
      userAgents = sample(userAgents, interner.intern(userAgent));
    }
  }

  /** The index of {@code day} in {@link #days}, added (with zero counts) when missing. */
  private int dayIndex(long day) {
    int i = Arrays.binarySearch(days, day);
    if (i >= 0) {
      return i;
    }
    int at = -i - 1;
    long[] d = new long[days.length + 1];
    System.arraycopy(days, 0, d, 0, at);
    d[at] = day;
    System.arraycopy(days, at, d, at + 1, days.length - at);
    long[] c = new long[d.length * N];
    System.arraycopy(dayCounts, 0, c, 0, at * N);
    System.arraycopy(dayCounts, at * N, c, (at + 1) * N, (days.length - at) * N);
    days = d;
    dayCounts = c;
    return at;
  }

  void merge(RequestRow o) {
    for (int k = 0; k < N; k++) {
      counts[k] += o.counts[k];
      first[k] = EpochNanos.min(first[k], o.first[k]);
      last[k] = EpochNanos.max(last[k], o.last[k]);
    }
    for (int j = 0; j < o.days.length; j++) {
      int i = dayIndex(o.days[j]);
      for (int k = 0; k < N; k++) {
        dayCounts[i * N + k] += o.dayCounts[j * N + k];
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
    for (String a : o.auditIDs) {
      auditIDs(sample(auditIDs, a));
    }
    for (String a : o.userAgents) {
      userAgents = sample(userAgents, a);
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
    for (int j = 0; j < days.length; j++) {
      if (!keep.test(days[j])) {
        continue;
      }
      int i = r.dayIndex(days[j]);
      for (int k = 0; k < N; k++) {
        long n = dayCounts[j * N + k];
        r.dayCounts[i * N + k] += n;
        r.counts[k] += n;
      }
    }
    if (r.days.length == 0) {
      return null;
    }
    for (int k = 0; k < N; k++) {
      if (r.counts[k] == 0) {
        continue;
      }
      long firstDay = Long.MAX_VALUE;
      long lastDay = Long.MIN_VALUE;
      for (int i = 0; i < r.days.length; i++) {
        if (r.dayCounts[i * N + k] > 0 && r.days[i] != Days.NONE) {
          firstDay = Math.min(firstDay, r.days[i]);
          lastDay = Math.max(lastDay, r.days[i]);
        }
      }
      if (firstDay == Long.MAX_VALUE || first[k] == NO_TIME) {
        continue; // only occurrences without a time
      }
      long from = EpochNanos.of(Days.start(firstDay));
      long to = EpochNanos.of(Days.start(lastDay + 1)) - 1;
      r.first[k] = Math.min(Math.max(first[k], from), to);
      r.last[k] = Math.max(Math.min(last[k], to), from);
    }
    r.commonGroups = commonGroups;
    r.implication = implication;
    r.onlyDryRun = onlyDryRun;
    r.auditIDs(auditIDs);
    r.userAgents = userAgents;
    return r;
  }

  private void auditIDs(String[] sorted) {
    auditIDs = sorted;
    auditIDCeiling = sorted.length == 0 ? 0 : prefix(sorted[sorted.length - 1]);
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

  /** {@link #mayTake} of an audit ID. */
  private boolean mayTakeAuditID(String value) {
    if (auditIDs.length < SAMPLES) {
      return true;
    }
    int c = Long.compareUnsigned(prefix(value), auditIDCeiling);
    return c < 0 || (c == 0 && value.compareTo(auditIDs[auditIDs.length - 1]) < 0);
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
      if (counts[k] > 0) {
        m.put(
            OUTCOMES[k],
            new Stats(counts[k], EpochNanos.instant(first[k]), EpochNanos.instant(last[k])));
      }
    }
    return m;
  }

  /** How many outcomes were seen. */
  int outcomeCount() {
    int n = 0;
    for (long c : counts) {
      n += c > 0 ? 1 : 0;
    }
    return n;
  }

  public Stats total() {
    long n = 0;
    long f = NO_TIME;
    long l = NO_TIME;
    for (int k = 0; k < N; k++) {
      n += counts[k];
      f = EpochNanos.min(f, first[k]);
      l = EpochNanos.max(l, last[k]);
    }
    return new Stats(n, EpochNanos.instant(f), EpochNanos.instant(l));
  }

  /** Per UTC day, the count of each outcome seen that day. */
  public SortedMap<Long, Map<Outcome, Long>> days() {
    SortedMap<Long, Map<Outcome, Long>> m = new TreeMap<>();
    for (int i = 0; i < days.length; i++) {
      Map<Outcome, Long> byOutcome = new EnumMap<>(Outcome.class);
      for (int k = 0; k < N; k++) {
        if (dayCounts[i * N + k] > 0) {
          byOutcome.put(OUTCOMES[k], dayCounts[i * N + k]);
        }
      }
      m.put(days[i], byOutcome);
    }
    return m;
  }

  /** The days, sorted ({@link Days}). */
  public long[] dayNumbers() {
    return days.clone();
  }

  /** The count of each outcome on the day at {@code index} of {@link #dayNumbers()}, in order. */
  long[] dayCounts(int index) {
    return Arrays.copyOfRange(dayCounts, index * N, index * N + N);
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

  public List<String> auditIDs() {
    return List.of(auditIDs);
  }

  /** The user agents, sorted (the row's own array: not to be changed). */
  String[] userAgentArray() {
    return userAgents;
  }

  public List<String> userAgents() {
    return List.of(userAgents);
  }
}
