package dev.rbacsynth.ledger;

import dev.rbacsynth.attributes.Interpretation;
import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.event.Stage;
import dev.rbacsynth.kube.Subject;
import dev.rbacsynth.pipeline.UsageCollector;
import dev.rbacsynth.read.ReadProblem;
import dev.rbacsynth.read.RecordSink;
import dev.rbacsynth.read.SourceLocation;
import dev.rbacsynth.read.StageMerger;
import dev.rbacsynth.read.Timestamps;
import dev.rbacsynth.select.SubjectSelector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
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
 */
public final class LedgerCollector implements RecordSink {
  /** How far out of time order lines of one log may be at a part's start. */
  public static final Duration EDGE_SLACK = Duration.ofSeconds(10);

  private static final int MAX_PENDING = 200_000;

  private record Held(AuditEvent event, int stages, String source) {}

  /** The earliest stage time of one source's records in the part. */
  private static final class Ends {
    Instant first;
  }

  private final Map<String, Ends> ends = new HashMap<>();

  private String namespace = "";
  private Subject only;
  private String cluster = "";
  private Instant since;
  private Instant until;
  private Consumer<ReadProblem> problems = p -> {};

  private final Interner interner = new Interner();
  private final StageMerger merger = new StageMerger(MAX_PENDING, this::merged);
  private final TreeMap<String, SubjectUsage> subjects = new TreeMap<>();
  private final HashMap<String, SubjectUsage> byName = new HashMap<>();
  private final Map<String, Integer> stagesSeen = new HashMap<>();
  private final List<Held> held = new ArrayList<>();
  private final TreeMap<Long, Long> eventsByDay = new TreeMap<>();
  private final List<Source> sources = new ArrayList<>();
  private long records;
  private final Map<String, Long> recordsBySource = new HashMap<>();
  private long badRecords;
  private boolean sawRequestReceived;
  private Instant from;
  private Instant to;
  private Instant earliestStage;
  private Instant latestStage;
  private boolean finished;

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
  public synchronized long records() {
    return records;
  }

  @Override
  public synchronized void event(AuditEvent event, SourceLocation location) {
    Instant received = event.requestReceivedTimestamp();
    if (received != null
        && ((since != null && received.isBefore(since))
            || (until != null && !received.isBefore(until)))) {
      return;
    }
    if (received == null && (since != null || until != null)) {
      return;
    }
    records++;
    if (location != null) {
      recordsBySource.merge(location.source(), 1L, Long::sum);
    }
    eventsByDay.merge(Days.of(received), 1L, Long::sum);
    Instant stageTime = stageTime(event);
    from = Stats.min(from, received != null ? received : stageTime);
    to = Stats.max(to, stageTime != null ? stageTime : received);
    earliestStage = Stats.min(earliestStage, stageTime != null ? stageTime : received);
    latestStage = Stats.max(latestStage, stageTime != null ? stageTime : received);
    if (event.stage() == Stage.REQUEST_RECEIVED) {
      sawRequestReceived = true;
    }
    Ends e = ends.computeIfAbsent(location == null ? "" : location.source(), k -> new Ends());
    e.first = Stats.min(e.first, stageTime != null ? stageTime : received);
    if (!event.auditID().isEmpty() && !event.stage().isFinal()) {
      stagesSeen.merge(event.auditID(), Fragment.bit(event.stage()), (a, b) -> a | b);
    }
    merger.accept(event, location);
  }

  private static Instant stageTime(AuditEvent e) {
    return e.stageTimestamp().isEmpty() ? null : Timestamps.parse(e.stageTimestamp());
  }

  /** Records absorbed per source name. */
  public synchronized Map<String, Long> recordsBySource() {
    return Map.copyOf(recordsBySource);
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

  /** Called by the stage merger for each request it lets through (under its lock). */
  private void merged(AuditEvent event, SourceLocation location) {
    String id = event.auditID();
    Integer earlier = id.isEmpty() ? null : stagesSeen.remove(id);
    if (event.stage().isFinal()) {
      int stages = (earlier == null ? 0 : earlier) | Fragment.bit(event.stage());
      if ((stages & Fragment.bit(Stage.REQUEST_RECEIVED)) == 0
          && (sawRequestReceived || longRunning(event))
          && mayBeEdge(event, location == null ? "" : location.source())) {
        held.add(
            new Held(
                event,
                stages,
                location == null
                    ? ""
                    : location.source())); // decided in finish(), once the part's edges are known
        return;
      }
    }
    absorb(event, subjects, byName);
  }

  /** Adds one merged event's contribution for every subject in it. */
  private void absorb(
      AuditEvent event, TreeMap<String, SubjectUsage> into, Map<String, SubjectUsage> index) {
    SubjectSelector.forEachUser(
        event,
        (user, role) -> {
          if (user == null || user.username().isEmpty() || (only != null && !only.matches(user))) {
            return;
          }
          Interpretation interpretation = UsageCollector.interpret(event, role, namespace);
          if (interpretation == null) {
            return;
          }
          SubjectUsage u = index.get(user.username());
          if (u == null) {
            u = new SubjectUsage(Subject.forUsername(user.username()).auditName());
            index.put(user.username(), u);
            into.put(user.username(), u);
          }
          u.add(
              interpretation,
              event.requestReceivedTimestamp(),
              UsageCollector.groups(event, role),
              event.auditID(),
              event.userAgent(),
              interner);
        });
  }

  /**
   * Received at most {@link #EDGE_SLACK} after the earliest record of its file in the part; the
   * earliest only gets earlier, so a request past it now is past it at the end too.
   */
  private boolean mayBeEdge(AuditEvent e, String source) {
    Instant r = e.requestReceivedTimestamp();
    Ends x = ends.get(source);
    return r == null || x == null || x.first == null || !r.isAfter(x.first.plus(EDGE_SLACK));
  }

  private static boolean longRunning(AuditEvent e) {
    String sub = e.objectRef() == null ? "" : e.objectRef().subresource();
    return Fragment.isLongRunning(e.verb(), sub == null ? "" : sub);
  }

  private Fragment fragment(AuditEvent event, int stages) {
    TreeMap<String, SubjectUsage> c = new TreeMap<>();
    absorb(event, c, new HashMap<>());
    String sub = event.objectRef() == null ? "" : event.objectRef().subresource();
    return new Fragment(
        event.auditID(),
        stages,
        event.stage(),
        Fragment.isLongRunning(event.verb(), sub == null ? "" : sub),
        sawRequestReceived,
        c);
  }

  /** The ledger delta of what was absorbed. Call once. */
  public synchronized Ledger finish() {
    if (finished) {
      throw new IllegalStateException("finish() was called already");
    }
    finished = true;
    TreeMap<String, Fragment> pending = new TreeMap<>();
    merger.flush(
        (event, location) -> {
          int stages = stagesSeen.getOrDefault(event.auditID(), 0) | Fragment.bit(event.stage());
          stagesSeen.remove(event.auditID());
          Fragment f = fragment(event, stages);
          pending.merge(f.auditID(), f, Fragment::combine);
        });
    for (Held h : held) {
      AuditEvent e = h.event();
      int stages = h.stages() | stagesSeen.getOrDefault(e.auditID(), 0);
      boolean edge =
          (stages & Fragment.bit(Stage.REQUEST_RECEIVED)) == 0
              && (sawRequestReceived || longRunning(e))
              && mayBeEdge(e, h.source());
      if (edge) {
        Fragment f = fragment(e, stages);
        pending.merge(f.auditID(), f, Fragment::combine);
      } else {
        absorb(e, subjects, byName);
      }
    }
    held.clear();
    stagesSeen.clear();
    TreeMap<String, Observation.Window> clusters = new TreeMap<>();
    if (records > 0) {
      clusters.put(cluster, new Observation.Window(from, to, records));
    }
    Observation o = new Observation(from, to, records, badRecords, clusters, sources, eventsByDay);
    TreeMap<String, SubjectUsage> s = new TreeMap<>();
    for (SubjectUsage u : subjects.values()) { // taken over, not copied
      s.merge(
          u.username(),
          u,
          (a, b) -> {
            a.merge(b);
            return a;
          });
    }
    return new Ledger(o, s, pending);
  }
}
