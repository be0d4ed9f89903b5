package dev.rbacsynth.ledger;

import dev.rbacsynth.attributes.Interpretation;
import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.event.Stage;
import dev.rbacsynth.event.UserInfo;
import dev.rbacsynth.kube.Subject;
import dev.rbacsynth.pipeline.UsageCollector;
import dev.rbacsynth.read.InputOrder;
import dev.rbacsynth.read.ReadProblem;
import dev.rbacsynth.read.RecordSink;
import dev.rbacsynth.read.SourceLocation;
import dev.rbacsynth.read.StageMerger;
import dev.rbacsynth.read.Timestamps;
import dev.rbacsynth.select.SubjectRole;
import dev.rbacsynth.select.SubjectSelector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Absorbs audit events into a ledger: one part of the input (a file's new lines, a webhook batch).
 * Events go through the same stage merging and interpretation as {@code generate} (every user and
 * service account, as requester and as impersonator); {@link #finish} gives the ledger delta.
 *
 * <p>The edges of the part are kept as {@link Fragment}s so that parts read apart count each
 * request once when merged: requests still open at the end, and final stages whose RequestReceived
 * is not in the part (when the part logs RequestReceived stages at all, or the request is
 * long-running) of requests that began before the part did (received at most {@link #EDGE_SLACK}
 * after the earliest stageTimestamp of its file's records in the part): lines of a log may be that
 * much out of time order. The apiserver logs the stages of one request in order, so a final stage
 * is never in an earlier part than the request's other stages.
 *
 * <pre>{@code
 * LedgerCollector c = new LedgerCollector().cluster("prod");
 * events.forEach(e -> c.event(e, location));
 * Ledger delta = c.finish();
 * Ledger updated = stored.merge(delta);
 * }</pre>
 *
 * <p>Thread-safe, and built for several reader threads at once: the state is split in shards, so
 * that two threads rarely wait for each other. Stage merging is sharded by audit ID (all stages of
 * a request meet in one shard, with the same bounds in total as one merger), the rows by username
 * (each subject's rows are in one shard: memory grows with the distinct requests, not with the
 * threads). Every figure merges with a sum, a minimum, a maximum or a union, so the shards give the
 * bytes one collector gives for the same events in the same per-request order.
 */
public final class LedgerCollector implements RecordSink {
  /** How far out of time order lines of one log may be at a part's start. */
  public static final Duration EDGE_SLACK = Duration.ofSeconds(10);

  private static final int MAX_PENDING = 200_000;

  /** Shards of each kind (a power of two): a few per core keep lock waits rare. */
  private static final int SHARD_BITS = 3;

  private static final int SHARDS = 1 << SHARD_BITS;

  /**
   * A final stage that may be an edge, with its place in the input order ({@link InputOrder}): it
   * is an edge only when a RequestReceived came before it in that order (or it is long-running).
   */
  private record Held(AuditEvent event, int stages, String source, long position) {}

  /**
   * The earliest stage time of one source's records in the part, and how many records of it came
   * with a location.
   */
  private static final class Ends {
    Instant first;
    // first + EDGE_SLACK: a request received after it is not an edge (kept with first, as every
    // final stage is compared with it)
    Instant edgeLimit;
    long records;

    void sawAt(Instant t) {
      if (t != null && (first == null || t.isBefore(first))) {
        first = t;
        edgeLimit = t.plus(EDGE_SLACK);
      }
    }
  }

  private String namespace = "";
  private Subject only;
  private String cluster = "";
  private Instant since;
  private Instant until;
  // audit IDs of requests the ledgers this part extends left open: a final stage of one is an edge
  private Set<String> knownOpen = Set.of();
  private final LongAdder afterUntil = new LongAdder();
  private Consumer<ReadProblem> problems = p -> {};

  private final Requests[] requests = new Requests[SHARDS];
  private final Users[] users = new Users[SHARDS];
  // the input logged RequestReceived stages (set by any shard)
  private volatile boolean sawRequestReceived;
  // the order of records given to the collector directly, not by a reader thread (serve's batches)
  private final AtomicLong arrivals = new AtomicLong();
  private final List<Source> sources = new ArrayList<>();
  private long badRecords;
  private boolean finished;

  public LedgerCollector() {
    for (int i = 0; i < SHARDS; i++) {
      requests[i] = new Requests();
      users[i] = new Users();
    }
  }

  /**
   * The shard of a key, from the top bits of a multiplicative hash: the low bits of {@code
   * hashCode} pick the key's bucket in the shard's hash maps, and keys that shared them would share
   * a few buckets there (long chains, tree bins).
   */
  private static int shard(String key) {
    return (key.hashCode() * 0x9E3779B9) >>> (32 - SHARD_BITS);
  }

  /** Keep only resource requests in this namespace ({@code -n}); "" keeps all. */
  public LedgerCollector namespace(String ns) {
    this.namespace = Objects.requireNonNull(ns);
    return this;
  }

  /**
   * Keep only the usage of this subject ({@code --user}, {@code --serviceaccount}, {@code --group}:
   * the users seen in the group); null keeps every user and service account. The observation still
   * counts every event (what was watched).
   */
  public LedgerCollector subject(Subject only) {
    this.only = only;
    return this;
  }

  /** The {@code --cluster} label of the events. */
  public LedgerCollector cluster(String name) {
    this.cluster = Objects.requireNonNull(name);
    return this;
  }

  /**
   * The audit IDs of the requests that the ledgers this part will be merged with hold open (their
   * pending fragments): a final stage of one of them in this part, without its RequestReceived, is
   * kept as an edge whatever its times say, so that it completes that fragment instead of being
   * counted a second time. Exact where the times are not: a log whose lines are further out of time
   * order than {@link #EDGE_SLACK} (a real one here: 21 seconds) made an incremental collect count
   * a watch twice (review8 F14).
   */
  public LedgerCollector knownOpen(Set<String> auditIDs) {
    this.knownOpen = Set.copyOf(auditIDs);
    return this;
  }

  /** Only events whose request was received in {@code [since, until)}; either may be null. */
  public LedgerCollector window(Instant since, Instant until) {
    this.since = since;
    this.until = until;
    return this;
  }

  /** Where unusable records go besides being counted. */
  public LedgerCollector problems(Consumer<ReadProblem> sink) {
    this.problems = Objects.requireNonNull(sink);
    return this;
  }

  /** Registers a source the part read (its events are counted by the caller). */
  public synchronized LedgerCollector source(Source source) {
    sources.add(source);
    return this;
  }

  /** Records absorbed so far (every stage, inside the window). */
  public long records() {
    long n = 0;
    for (Requests r : requests) {
      synchronized (r) {
        n += r.records;
      }
    }
    return n;
  }

  /** The ledger keeps the authorizer's view of each request, its times and user agent only. */
  @Override
  public boolean usageOnly() {
    return true;
  }

  /** Records dropped because their request was received at or after {@code until}. */
  public long afterUntil() {
    return afterUntil.sum();
  }

  @Override
  public void event(AuditEvent event, SourceLocation location) {
    Instant received = event.requestReceivedTimestamp();
    if (received != null && until != null && !received.isBefore(until)) {
      afterUntil.increment();
      return;
    }
    if (received != null && since != null && received.isBefore(since)) {
      return;
    }
    if (received == null && (since != null || until != null)) {
      return;
    }
    Instant stageTime = stageTime(event);
    if (event.stage() == Stage.REQUEST_RECEIVED && !sawRequestReceived) {
      sawRequestReceived = true;
    }
    long position = InputOrder.next();
    if (position < 0) {
      position = arrivals.incrementAndGet();
    }
    requests[shard(event.auditID())].event(event, location, received, stageTime, position);
  }

  private static Instant stageTime(AuditEvent e) {
    return e.stageTimestamp().isEmpty() ? null : Timestamps.parse(e.stageTimestamp());
  }

  /** Records absorbed per source name. */
  public Map<String, Long> recordsBySource() {
    Map<String, Long> all = new HashMap<>();
    for (Requests r : requests) {
      synchronized (r) {
        r.ends.forEach(
            (k, e) -> {
              if (e.records > 0) {
                all.merge(k, e.records, Long::sum);
              }
            });
      }
    }
    return Map.copyOf(all);
  }

  @Override
  public synchronized void problem(ReadProblem problem) {
    badRecords++;
    problems.accept(problem);
  }

  /** Counts a record that could not be used without giving its details (a webhook's batch). */
  public synchronized void badRecord() {
    badRecords++;
  }

  /**
   * Counts the unusable records of the read as {@code total} when the reader saw more than it
   * handed over (it keeps only the first ones of each part): the ledger's count is the true one.
   */
  public synchronized void badRecordsAtLeast(long total) {
    badRecords = Math.max(badRecords, total);
  }

  /**
   * The requests of one shard of audit IDs: their stage merging, the records counted, and the final
   * stages held back as possible edges. Guarded by its own lock.
   */
  private final class Requests {
    final StageMerger merger = new StageMerger(MAX_PENDING / SHARDS, this::merged);
    final Map<String, Integer> stagesSeen = new HashMap<>();
    final List<Held> held = new ArrayList<>();
    final Map<String, Ends> ends = new HashMap<>();
    final TreeMap<Long, Long> eventsByDay = new TreeMap<>();
    long records;
    // the source of the last record and its Ends: a part's records come source by source
    String lastSource;
    Ends lastEnds;
    // the input position of the first RequestReceived in this shard, and of the record being merged
    long firstRequestReceived = Long.MAX_VALUE;
    long position;
    Instant from;
    Instant to;
    // events of the day being read, added to eventsByDay when the day changes (one map update a
    // day)
    long day;
    long dayEvents;

    void flushDay() {
      if (dayEvents > 0) {
        eventsByDay.merge(day, dayEvents, Long::sum);
        dayEvents = 0;
      }
    }

    synchronized void event(
        AuditEvent event,
        SourceLocation location,
        Instant received,
        Instant stageTime,
        long position) {
      records++;
      this.position = position;
      if (event.stage() == Stage.REQUEST_RECEIVED) {
        firstRequestReceived = Math.min(firstRequestReceived, position);
      }
      long d = Days.of(received);
      if (d != day) {
        flushDay();
        day = d;
      }
      dayEvents++;
      from = Stats.min(from, received != null ? received : stageTime);
      to = Stats.max(to, stageTime != null ? stageTime : received);
      String source = location == null ? "" : location.source();
      Ends e = lastEnds;
      if (!source.equals(lastSource)) {
        e = ends.computeIfAbsent(source, k -> new Ends());
        lastSource = source;
        lastEnds = e;
      }
      if (location != null) {
        e.records++;
      }
      e.sawAt(stageTime != null ? stageTime : received);
      if (!event.auditID().isEmpty() && !event.stage().isFinal()) {
        stagesSeen.merge(event.auditID(), Fragment.bit(event.stage()), (a, b) -> a | b);
      }
      merger.accept(event, location);
    }

    /** Called by the stage merger for each request it lets through (under this shard's lock). */
    private void merged(AuditEvent event, SourceLocation location) {
      String id = event.auditID();
      Integer earlier = id.isEmpty() || stagesSeen.isEmpty() ? null : stagesSeen.remove(id);
      if (event.stage().isFinal()) {
        int stages = (earlier == null ? 0 : earlier) | Fragment.bit(event.stage());
        if ((stages & Fragment.bit(Stage.REQUEST_RECEIVED)) == 0
            && (mayBeEdge(event, location == null ? "" : location.source(), ends)
                || knownOpen.contains(id))) {
          // decided in finish(), once the part's edges and its first RequestReceived are known:
          // reader threads hand records on in no fixed order, the decision follows the input's
          held.add(new Held(event, stages, location == null ? "" : location.source(), position));
          return;
        }
      }
      absorb(event);
    }
  }

  /** The rows of one shard of usernames. Guarded by its own lock. */
  private static final class Users {
    final Interner interner = new Interner();
    final HashMap<String, SubjectUsage> byName = new HashMap<>();
  }

  /** Adds one merged event's contribution for every subject in it to the subjects' shards. */
  private void absorb(AuditEvent event) {
    SubjectSelector.forEachUser(
        event,
        (user, role) -> {
          Interpretation interpretation = counted(event, user, role);
          if (interpretation == null) {
            return;
          }
          Users shard = users[shard(user.username())];
          synchronized (shard) {
            add(event, role, user.username(), interpretation, shard.byName, shard.interner);
          }
        });
  }

  /** Adds one merged event's contribution for every subject in it to {@code into}. */
  private void absorb(AuditEvent event, Map<String, SubjectUsage> into, Interner interner) {
    SubjectSelector.forEachUser(
        event,
        (user, role) -> {
          Interpretation interpretation = counted(event, user, role);
          if (interpretation != null) {
            add(event, role, user.username(), interpretation, into, interner);
          }
        });
  }

  /**
   * What {@code event} asked of {@code user} in {@code role}, or null when the user is not
   * collected (none, no name, not selected) or the event adds nothing for it.
   */
  private Interpretation counted(AuditEvent event, UserInfo user, SubjectRole role) {
    if (user == null || user.username().isEmpty() || (only != null && !only.matches(user))) {
      return null;
    }
    return UsageCollector.interpret(event, role, namespace);
  }

  private static void add(
      AuditEvent event,
      SubjectRole role,
      String username,
      Interpretation interpretation,
      Map<String, SubjectUsage> index,
      Interner interner) {
    SubjectUsage u = index.get(username);
    if (u == null) {
      u = new SubjectUsage(Subject.forUsername(username).auditName());
      index.put(username, u);
    }
    u.add(
        interpretation,
        event.requestReceivedTimestamp(),
        UsageCollector.groups(event, role),
        event.auditID(),
        event.userAgent(),
        interner);
  }

  /**
   * Received at most {@link #EDGE_SLACK} after the earliest record of its file in the part; the
   * earliest only gets earlier, so a request past it now is past it at the end too.
   */
  private static boolean mayBeEdge(AuditEvent e, String source, Map<String, Ends> ends) {
    Instant r = e.requestReceivedTimestamp();
    Ends x = ends.get(source);
    return r == null || x == null || x.first == null || !r.isAfter(x.edgeLimit);
  }

  private static boolean longRunning(AuditEvent e) {
    String sub = e.objectRef() == null ? "" : e.objectRef().subresource();
    return Fragment.isLongRunning(e.verb(), sub == null ? "" : sub);
  }

  private Fragment fragment(AuditEvent event, int stages, Interner interner) {
    TreeMap<String, SubjectUsage> c = new TreeMap<>();
    absorb(event, c, interner);
    String sub = event.objectRef() == null ? "" : event.objectRef().subresource();
    return new Fragment(
        event.auditID(),
        stages,
        event.stage(),
        Fragment.isLongRunning(event.verb(), sub == null ? "" : sub),
        sawRequestReceived,
        c);
  }

  /** The ledger delta of what was absorbed. Call once, after the last event. */
  public synchronized Ledger finish() {
    if (finished) {
      throw new IllegalStateException("finish() was called already");
    }
    finished = true;
    // the part's edges: the earliest record of each source over all shards
    Map<String, Ends> ends = new HashMap<>();
    for (Requests r : requests) {
      synchronized (r) {
        r.ends.forEach(
            (source, e) -> {
              Ends all = ends.computeIfAbsent(source, k -> new Ends());
              all.sawAt(e.first);
            });
      }
    }
    long firstRequestReceived = Long.MAX_VALUE;
    for (Requests r : requests) {
      synchronized (r) {
        firstRequestReceived = Math.min(firstRequestReceived, r.firstRequestReceived);
      }
    }
    long firstRr = firstRequestReceived;
    Interner interner = new Interner();
    TreeMap<String, Fragment> pending = new TreeMap<>();
    long records = 0;
    Instant from = null;
    Instant to = null;
    TreeMap<Long, Long> eventsByDay = new TreeMap<>();
    for (Requests r : requests) {
      synchronized (r) {
        r.merger.flush(
            (event, location) -> {
              int stages =
                  r.stagesSeen.getOrDefault(event.auditID(), 0) | Fragment.bit(event.stage());
              r.stagesSeen.remove(event.auditID());
              Fragment f = fragment(event, stages, interner);
              pending.merge(f.auditID(), f, Fragment::combine);
            });
        for (Held h : r.held) {
          AuditEvent e = h.event();
          int stages = h.stages() | r.stagesSeen.getOrDefault(e.auditID(), 0);
          boolean edge =
              (stages & Fragment.bit(Stage.REQUEST_RECEIVED)) == 0
                  && (knownOpen.contains(e.auditID())
                      || ((firstRr < h.position() || longRunning(e))
                          && mayBeEdge(e, h.source(), ends)));
          if (edge) {
            Fragment f = fragment(e, stages, interner);
            pending.merge(f.auditID(), f, Fragment::combine);
          } else {
            absorb(e);
          }
        }
        r.held.clear();
        r.stagesSeen.clear();
        records += r.records;
        from = Stats.min(from, r.from);
        to = Stats.max(to, r.to);
        r.flushDay();
        r.eventsByDay.forEach((day, n) -> eventsByDay.merge(day, n, Long::sum));
      }
    }
    TreeMap<String, Observation.Window> clusters = new TreeMap<>();
    if (records > 0) {
      clusters.put(cluster, new Observation.Window(from, to, records));
    }
    Observation o =
        new Observation(
            from,
            to,
            records,
            badRecords,
            clusters,
            sources,
            eventsByDay,
            Scope.of(only, namespace));
    TreeMap<String, SubjectUsage> s = new TreeMap<>();
    for (Users shard : users) {
      synchronized (shard) {
        for (SubjectUsage u : shard.byName.values()) { // taken over, not copied
          s.merge(
              u.username(),
              u,
              (a, b) -> {
                a.merge(b);
                return a;
              });
        }
        shard.byName.clear();
      }
    }
    return new Ledger(o, s, pending);
  }
}
