package dev.rbacsynth.ledger;

import dev.rbacsynth.aggregate.ObservedUsage;
import dev.rbacsynth.kube.Identities;
import dev.rbacsynth.kube.Subject;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

/**
 * A usage ledger: what every subject did, per request and UTC day, with what it is based on (the
 * {@link Observation}) and the requests at the edges of its inputs ({@link Fragment}s). Built by a
 * {@link LedgerCollector}, read and written by {@link LedgerJson}; a built ledger does not change.
 *
 * <p>{@link #merge} is commutative and associative, byte for byte once written: ledgers of disjoint
 * inputs add up; a ledger whose inputs another one already holds adds nothing; inputs that overlap
 * only in part are refused, since they cannot be counted exactly.
 */
public final class Ledger {
  /** The version written: {@code v1alpha3} and the observation's {@code scope}. */
  public static final String API_VERSION = "rbac-synth.dev/v1alpha4";

  /**
   * The earlier versions still read, newest first: {@code v1alpha3} (no scope: a ledger of every
   * subject and namespace) and {@code v1alpha2} (the same rows, with every field written out and
   * the strings in place of the tables' indexes); {@code v1alpha1} is refused.
   */
  public static final List<String> API_VERSIONS_READ =
      List.of("rbac-synth.dev/v1alpha3", "rbac-synth.dev/v1alpha2");

  public static final String KIND = "UsageLedger";

  private final Observation observation;
  private final TreeMap<String, SubjectUsage> subjects;
  private final TreeMap<String, Fragment> pending;

  /** Takes the maps over; folds the fragments that are complete. */
  Ledger(
      Observation observation,
      TreeMap<String, SubjectUsage> subjects,
      TreeMap<String, Fragment> pending) {
    this(observation, subjects, pending, true);
  }

  /** Takes the maps over; folds the fragments that are complete, unless none is ({@code !fold}). */
  private Ledger(
      Observation observation,
      TreeMap<String, SubjectUsage> subjects,
      TreeMap<String, Fragment> pending,
      boolean fold) {
    this.observation = observation;
    if (!fold) {
      this.subjects = subjects;
      this.pending = pending;
      return;
    }
    this.subjects = subjects;
    List<Map.Entry<String, Fragment>> open = new ArrayList<>(pending.size());
    for (Map.Entry<String, Fragment> e : pending.entrySet()) {
      if (e.getValue().complete()) {
        addRows(this.subjects, e.getValue().contribution().values());
      } else {
        open.add(e);
      }
    }
    this.pending = open.size() == pending.size() ? pending : sorted(open);
  }

  public static Ledger empty() {
    return new Ledger(Observation.EMPTY, new TreeMap<>(), new TreeMap<>());
  }

  /** A ledger from rows read back (a database): subjects' rows and open fragments. */
  public static Ledger of(
      Observation observation, Collection<SubjectUsage> subjects, Collection<Fragment> pending) {
    return of(observation, subjects, pending, false);
  }

  /** {@link #of}, taking the rows over (rows just read, that nothing else holds): not copied. */
  static Ledger taking(
      Observation observation, Collection<SubjectUsage> subjects, Collection<Fragment> pending) {
    return of(observation, subjects, pending, true);
  }

  private static Ledger of(
      Observation observation,
      Collection<SubjectUsage> subjects,
      Collection<Fragment> pending,
      boolean take) {
    TreeMap<String, SubjectUsage> s = new TreeMap<>();
    addRows(s, subjects, take);
    return new Ledger(observation, s, byAuditID(pending));
  }

  /**
   * Fragments by audit ID, those of one ID combined; built in one pass when they come sorted by
   * distinct audit IDs (as a ledger file holds them).
   */
  private static TreeMap<String, Fragment> byAuditID(Collection<Fragment> fragments) {
    List<Map.Entry<String, Fragment>> entries = new ArrayList<>(fragments.size());
    String last = null;
    for (Fragment f : fragments) {
      if (last != null && last.compareTo(f.auditID()) >= 0) {
        TreeMap<String, Fragment> p = new TreeMap<>();
        fragments.forEach(g -> p.merge(g.auditID(), g, Fragment::combine));
        return p;
      }
      last = f.auditID();
      entries.add(Map.entry(last, f));
    }
    return sorted(entries);
  }

  public Observation observation() {
    return observation;
  }

  /** The subjects, sorted by username (fragments not included). */
  public SortedMap<String, SubjectUsage> subjects() {
    return Collections.unmodifiableSortedMap(subjects);
  }

  /** The requests at the edges of the inputs, by audit ID. */
  public SortedMap<String, Fragment> pending() {
    return Collections.unmodifiableSortedMap(pending);
  }

  /**
   * This ledger and {@code other} together.
   *
   * @throws LedgerException when their inputs overlap in part
   */
  public Ledger merge(Ledger other) {
    if (isEmpty()) {
      return other;
    }
    if (other.isEmpty()) {
      return this;
    }
    if (containedIn(this, other)) {
      return other;
    }
    if (containedIn(other, this)) {
      return this;
    }
    checkDisjoint(other);
    TreeMap<String, SubjectUsage> s = new TreeMap<>();
    addRows(s, subjects.values());
    addRows(s, other.subjects.values());
    TreeMap<String, Fragment> p = new TreeMap<>(pending);
    other.pending.values().forEach(f -> p.merge(f.auditID(), f, Fragment::combine));
    return new Ledger(plus(observation, other.observation), s, p);
  }

  /**
   * Merges all, in order (any order gives the same ledger): the same as merging them one by one,
   * but each ledger's rows are copied once (merging one by one copies what was merged so far at
   * every step).
   */
  public static Ledger mergeAll(Collection<Ledger> ledgers) {
    return mergeAll(ledgers, false);
  }

  /**
   * Merges all as {@link #mergeAll(Collection)} does, taking the ledgers over: their rows become
   * the result's, moved rather than copied, so the ledgers given must not be used afterwards (the
   * ledgers just read from files that {@code collect} and {@code generate --usage} merge). Half the
   * memory and far less work than copying every row.
   */
  public static Ledger mergeTaking(Collection<Ledger> ledgers) {
    return mergeAll(ledgers, true);
  }

  private static Ledger mergeAll(Collection<Ledger> ledgers, boolean take) {
    // first which ledgers add to the result: a ledger whose inputs the ones so far hold adds
    // nothing, one that holds all of theirs replaces them, one that overlaps them in part is
    // refused
    List<Ledger> parts = new ArrayList<>();
    Observation observation = null; // the sum of the parts' observations
    for (Ledger l : ledgers) {
      if (l.isEmpty()) {
        continue;
      }
      if (parts.isEmpty() || containedIn(observation, l.observation)) {
        parts.clear();
        parts.add(l);
        observation = l.observation;
        continue;
      }
      if (containedIn(l.observation, observation)) {
        continue;
      }
      checkDisjoint(observation, l.observation);
      parts.add(l);
      observation = plus(observation, l.observation);
    }
    if (parts.isEmpty()) {
      return empty();
    }
    if (parts.size() == 1) {
      return parts.get(0);
    }
    // the rows: every subject's added up, taken over from the first part or copied
    TreeMap<String, SubjectUsage> subjects;
    if (take) {
      subjects = parts.get(0).subjects;
    } else {
      subjects = new TreeMap<>();
      addRows(subjects, parts.get(0).subjects.values());
    }
    for (Ledger l : parts.subList(1, parts.size())) {
      addRows(subjects, l.subjects.values(), take);
    }
    // the open requests: each part's are sorted by audit ID, so they are merged as sorted lists
    // (the fragments of one audit ID combined, folded into the rows once complete) and the result
    // is built in one pass, without a search per fragment
    List<Map.Entry<String, Fragment>> open = new ArrayList<>();
    PriorityQueue<Head> heads = new PriorityQueue<>();
    for (int i = 0; i < parts.size(); i++) {
      Head h = new Head(parts.get(i).pending.values().iterator(), i);
      if (h.advance()) {
        heads.add(h);
      }
    }
    while (!heads.isEmpty()) {
      Head h = heads.poll();
      Fragment f = h.fragment;
      if (h.advance()) {
        heads.add(h);
      }
      while (!heads.isEmpty() && heads.peek().fragment.auditID().equals(f.auditID())) {
        Head same = heads.poll();
        f = f.combine(same.fragment);
        if (same.advance()) {
          heads.add(same);
        }
      }
      if (f.complete()) {
        addRows(subjects, f.contribution().values(), take);
      } else {
        open.add(Map.entry(f.auditID(), f));
      }
    }
    return new Ledger(observation, subjects, sorted(open), false);
  }

  /** The next fragment of one part's open requests, in audit ID order (then the part's). */
  private static final class Head implements Comparable<Head> {
    private final Iterator<Fragment> rest;
    private final int part;
    Fragment fragment;

    Head(Iterator<Fragment> rest, int part) {
      this.rest = rest;
      this.part = part;
    }

    boolean advance() {
      fragment = rest.hasNext() ? rest.next() : null;
      return fragment != null;
    }

    @Override
    public int compareTo(Head o) {
      int c = fragment.auditID().compareTo(o.fragment.auditID());
      return c != 0 ? c : Integer.compare(part, o.part);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Head h && compareTo(h) == 0;
    }

    @Override
    public int hashCode() {
      return fragment.auditID().hashCode() * 31 + part;
    }
  }

  /**
   * A map of entries sorted by their distinct keys, built in one pass (a {@link TreeMap} made from
   * a sorted map makes its tree without comparing keys).
   */
  static <V> TreeMap<String, V> sorted(List<Map.Entry<String, V>> entries) {
    return new TreeMap<>(new SortedEntries<>(entries));
  }

  /** Entries already sorted by distinct keys, seen as a sorted map only to build a TreeMap. */
  private static final class SortedEntries<V> extends AbstractMap<String, V>
      implements SortedMap<String, V> {
    private final List<Map.Entry<String, V>> entries;

    SortedEntries(List<Map.Entry<String, V>> entries) {
      this.entries = entries;
    }

    @Override
    public Set<Map.Entry<String, V>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public Iterator<Map.Entry<String, V>> iterator() {
          return entries.iterator();
        }

        @Override
        public int size() {
          return entries.size();
        }
      };
    }

    @Override
    public int size() {
      return entries.size();
    }

    @Override
    public Comparator<? super String> comparator() {
      return null;
    }

    @Override
    public SortedMap<String, V> subMap(String fromKey, String toKey) {
      throw new UnsupportedOperationException();
    }

    @Override
    public SortedMap<String, V> headMap(String toKey) {
      throw new UnsupportedOperationException();
    }

    @Override
    public SortedMap<String, V> tailMap(String fromKey) {
      throw new UnsupportedOperationException();
    }

    @Override
    public String firstKey() {
      throw new UnsupportedOperationException();
    }

    @Override
    public String lastKey() {
      throw new UnsupportedOperationException();
    }
  }

  private void checkDisjoint(Ledger other) {
    checkDisjoint(observation, other.observation);
  }

  private static void checkDisjoint(Observation observation, Observation other) {
    Map<String, Source> mine = observation.sourcesByFingerprint();
    for (Source s : other.sources()) {
      Source m = mine.get(s.fingerprint());
      if (m != null && m.overlaps(s)) {
        throw new LedgerException(
            "the ledgers both hold part of "
                + describe(m, s)
                + " but neither holds all the other read of it; counting it exactly is not "
                + "possible (merge the ledger that holds more of it, or collect the file again)");
      }
    }
  }

  private static String describe(Source a, Source b) {
    return "file "
        + a.name()
        + (a.name().equals(b.name()) ? "" : " (also read as " + b.name() + ")")
        + " (fingerprint "
        + a.fingerprint()
        + ")";
  }

  private boolean isEmpty() {
    return observation.events() == 0 && subjects.isEmpty() && pending.isEmpty();
  }

  /** Every record of {@code a} came from ranges that {@code b} holds too. */
  private static boolean containedIn(Ledger a, Ledger b) {
    return containedIn(a.observation, b.observation);
  }

  private static boolean containedIn(Observation o, Observation b) {
    if (o.sources().isEmpty() || o.unsourcedEvents() != 0) {
      return false;
    }
    Map<String, Source> theirs = b.sourcesByFingerprint();
    for (Source s : o.sources()) {
      Source t = theirs.get(s.fingerprint());
      if (t == null || !t.contains(s)) {
        return false;
      }
    }
    return true;
  }

  private static Observation plus(Observation a, Observation b) {
    TreeMap<String, Observation.Window> clusters = new TreeMap<>(a.clustersWithDays());
    b.clustersWithDays().forEach((k, v) -> clusters.merge(k, v, Observation.Window::plus));
    TreeMap<String, Source> sources = new TreeMap<>(a.sourcesByFingerprint());
    b.sources().forEach(s -> sources.merge(s.fingerprint(), s, Source::plus));
    TreeMap<Long, Long> days = new TreeMap<>(a.eventsByDay());
    b.eventsByDay().forEach((k, v) -> days.merge(k, v, Long::sum));
    // what both hold (equal scopes when collect merges; a generate query lies inside both)
    Scope scope = a.scope().meet(b.scope());
    if (scope == null) {
      throw new LedgerException(
          "ledgers of scopes with nothing in common cannot be merged: one holds "
              + a.scope().describe()
              + ", the other "
              + b.scope().describe());
    }
    return new Observation(
        Stats.min(a.from(), b.from()),
        Stats.max(a.to(), b.to()),
        a.events() + b.events(),
        a.badRecords() + b.badRecords(),
        clusters,
        List.copyOf(sources.values()),
        days,
        scope);
  }

  static void addRows(TreeMap<String, SubjectUsage> into, Collection<SubjectUsage> rows) {
    addRows(into, rows, false);
  }

  /**
   * Adds the rows, copied, or taken over (moved, and the subjects' rows changed) when {@code take}.
   */
  private static void addRows(
      TreeMap<String, SubjectUsage> into, Collection<SubjectUsage> rows, boolean take) {
    for (SubjectUsage u : rows) {
      if (!take) {
        into.computeIfAbsent(u.username(), SubjectUsage::new).merge(u);
        continue;
      }
      SubjectUsage mine = into.putIfAbsent(u.username(), u);
      if (mine != null) {
        mine.take(u);
      }
    }
  }

  /**
   * This ledger narrowed to {@code target}, a scope inside its own: the same ledger when they are
   * equal; one user's or service account's rows and its share of each open request (the open
   * requests themselves stay, as a collect of that subject from the logs keeps them) when the
   * target only names a user inside this ledger's scope; null otherwise. Narrowing to a namespace
   * or a group is not exact (a subject's events per day count every event it made, not those in one
   * namespace; a group's members are not fixed): such a ledger is collected from the logs.
   */
  public Ledger narrowedTo(Scope target) {
    Scope own = observation.scope();
    if (own.equals(target)) {
      return this;
    }
    // exact only from every subject (in one namespace or all) to one user in the same namespaces
    boolean oneUserOfAll =
        own.username().isEmpty()
            && own.group().isEmpty()
            && !target.username().isEmpty()
            && own.namespace().equals(target.namespace());
    if (!oneUserOfAll) {
      return null;
    }
    String username = target.username();
    TreeMap<String, SubjectUsage> s = new TreeMap<>();
    SubjectUsage rows = subjects.get(username);
    if (rows != null) {
      s.put(username, rows.copy());
    }
    TreeMap<String, Fragment> p = new TreeMap<>();
    pending.forEach(
        (id, f) -> {
          TreeMap<String, SubjectUsage> c = new TreeMap<>();
          SubjectUsage mine = f.contributionOf(username);
          if (mine != null) {
            c.put(username, mine);
          }
          p.put(
              id,
              new Fragment(
                  f.auditID(),
                  f.stages(),
                  f.stage(),
                  f.longRunning(),
                  f.requestReceivedLogged(),
                  c));
        });
    return new Ledger(observation.scoped(target), s, p);
  }

  /**
   * Only the UTC days that overlap {@code [since, until)} (either may be null): a ledger keeps
   * days, not events, so a window on a ledger is rounded out to whole days.
   */
  public Ledger window(Instant since, Instant until) {
    if (since == null && until == null) {
      return this;
    }
    long first = since == null ? Long.MIN_VALUE + 1 : Days.of(since);
    long last = until == null ? Long.MAX_VALUE : Days.of(until.minusNanos(1));
    LongPredicate keep = d -> d != Days.NONE && d >= first && d <= last;
    TreeMap<String, SubjectUsage> s = new TreeMap<>();
    subjects.forEach(
        (name, u) -> {
          SubjectUsage kept = u.filterDays(keep);
          if (kept != null) {
            s.put(name, kept);
          }
        });
    TreeMap<String, Fragment> p = new TreeMap<>();
    pending.forEach(
        (id, f) -> {
          TreeMap<String, SubjectUsage> c = new TreeMap<>();
          f.contribution()
              .forEach(
                  (name, u) -> {
                    SubjectUsage kept = u.filterDays(keep);
                    if (kept != null) {
                      c.put(name, kept);
                    }
                  });
          if (!c.isEmpty()) {
            p.put(
                id,
                new Fragment(
                    id, f.stages(), f.stage(), f.longRunning(), f.requestReceivedLogged(), c));
          }
        });
    TreeMap<Long, Long> days = kept(observation.eventsByDay(), keep);
    Observation.Window whole =
        windowed(
            new Observation.Window(
                observation.from(), observation.to(), observation.events(), days),
            first,
            last);
    // each cluster cut the same way where its days are known (a ledger written before clusters
    // had days, with more than one cluster, keeps them whole: what it holds cannot be cut)
    TreeMap<String, Observation.Window> clusters = new TreeMap<>();
    observation
        .clustersWithDays()
        .forEach(
            (name, w) -> {
              if (!w.daysKnown()) {
                clusters.put(name, w);
                return;
              }
              TreeMap<Long, Long> kept = kept(w.eventsByDay(), keep);
              if (!kept.isEmpty()) {
                clusters.put(
                    name,
                    windowed(
                        new Observation.Window(w.from(), w.to(), w.events(), kept), first, last));
              }
            });
    Observation o =
        new Observation(
            whole.from(),
            whole.to(),
            whole.events(),
            observation.badRecords(),
            clusters,
            observation.sources(),
            days,
            observation.scope());
    return new Ledger(o, s, p);
  }

  /** The events of the days {@code keep} accepts. */
  private static TreeMap<Long, Long> kept(Map<Long, Long> eventsByDay, LongPredicate keep) {
    TreeMap<Long, Long> kept = new TreeMap<>();
    eventsByDay.forEach(
        (d, n) -> {
          if (keep.test(d)) {
            kept.put(d, n);
          }
        });
    return kept;
  }

  /**
   * A window's extent cut to the UTC days {@code first} to {@code last} and its events summed over
   * the days it keeps ({@code w}'s days are already the kept ones); no extent when none is kept.
   */
  private static Observation.Window windowed(Observation.Window w, long first, long last) {
    Instant from = w.from();
    Instant to = w.to();
    if (first != Long.MIN_VALUE + 1 && from != null && from.isBefore(Days.start(first))) {
      from = Days.start(first);
    }
    if (last != Long.MAX_VALUE && to != null && to.isAfter(Days.start(last + 1))) {
      to = Days.start(last + 1);
    }
    if (w.eventsByDay().isEmpty()) {
      // nothing in the window: no extent (never one that ends before it starts)
      from = null;
      to = null;
    }
    return new Observation.Window(
        from,
        to,
        w.eventsByDay().values().stream().mapToLong(Long::longValue).sum(),
        w.eventsByDay());
  }

  /** Every subject's usage (fragments counted once each), sorted by kind and name. */
  public Map<Subject, ObservedUsage> usages(String namespace) {
    TreeMap<String, SubjectUsage> all = counted();
    Map<Subject, ObservedUsage> out = new LinkedHashMap<>();
    List<SubjectUsage> sorted = new ArrayList<>(all.values());
    sorted.sort(
        Comparator.comparing((SubjectUsage u) -> u.subject().kind())
            .thenComparing(SubjectUsage::username));
    for (SubjectUsage u : sorted) {
      ObservedUsage usage = new ObservedUsage();
      u.addTo(usage, namespace);
      out.put(u.subject(), usage);
    }
    return out;
  }

  /**
   * The usage of one subject: a user or service account by its username; a group as the requests of
   * the users seen with it on every request of a row (exact when membership did not change).
   */
  public ObservedUsage usage(Subject subject, String namespace) {
    ObservedUsage usage = new ObservedUsage();
    TreeMap<String, SubjectUsage> all =
        subject instanceof Subject.Group ? counted() : counted(subject.auditName());
    if (subject instanceof Subject.Group g) {
      // as from the logs, an impersonated request is the group's through its effective user when
      // that user is a member, else through the impersonator: never through both
      Predicate<String> targetIn = target -> memberOf(all, target, g.name());
      for (SubjectUsage u : all.values()) {
        SubjectUsage inGroup = u.inGroup(g.name(), targetIn);
        if (inGroup != null) {
          inGroup.addTo(usage, namespace);
        }
      }
    } else {
      SubjectUsage u = all.get(subject.auditName());
      if (u != null) {
        u.addTo(usage, namespace);
      }
    }
    return usage;
  }

  /**
   * Whether an impersonated user was in {@code group}: seen with it in its own rows, or put in it
   * by the apiserver whatever its credentials ({@link Identities#alwaysIn}).
   */
  private static boolean memberOf(Map<String, SubjectUsage> all, String username, String group) {
    SubjectUsage u = all.get(username);
    if (u != null && u.days().values().stream().anyMatch(d -> d.groups().contains(group))) {
      return true;
    }
    return Identities.alwaysIn(username, group);
  }

  /** The rows of one username with the fragments counted in. */
  private TreeMap<String, SubjectUsage> counted(String username) {
    TreeMap<String, SubjectUsage> one = new TreeMap<>();
    SubjectUsage rows = subjects.get(username);
    if (rows != null) {
      one.put(username, rows);
    }
    List<SubjectUsage> extra = new ArrayList<>();
    for (Fragment f : pending.values()) {
      SubjectUsage u = f.contributionOf(username);
      if (u != null) {
        extra.add(u);
      }
    }
    if (!extra.isEmpty()) {
      SubjectUsage all = rows == null ? new SubjectUsage(username) : rows.copy();
      extra.forEach(all::merge);
      one.put(username, all);
    }
    return one;
  }

  /** The rows with the fragments counted in. */
  TreeMap<String, SubjectUsage> counted() {
    if (pending.isEmpty()) {
      return subjects;
    }
    TreeMap<String, SubjectUsage> all = new TreeMap<>();
    addRows(all, subjects.values());
    pending.values().forEach(f -> addRows(all, f.contribution().values()));
    return all;
  }
}
