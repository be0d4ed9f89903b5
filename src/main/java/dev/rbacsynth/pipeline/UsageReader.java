package dev.rbacsynth.pipeline;

import dev.rbacsynth.aggregate.Observation;
import dev.rbacsynth.aggregate.ObservedUsage;
import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.event.UserInfo;
import dev.rbacsynth.kube.Subject;
import dev.rbacsynth.read.AuditLogReader;
import dev.rbacsynth.read.EnvelopeAdapter;
import dev.rbacsynth.read.InputResolver;
import dev.rbacsynth.read.InputSource;
import dev.rbacsynth.read.LinePrefilter;
import dev.rbacsynth.read.ParallelReader;
import dev.rbacsynth.read.ReadProblem;
import dev.rbacsynth.read.ReadStats;
import dev.rbacsynth.read.RecordDispatcher;
import dev.rbacsynth.read.RecordSink;
import dev.rbacsynth.read.SourceLocation;
import dev.rbacsynth.read.envelope.Envelopes;
import dev.rbacsynth.select.SubjectPrefilter;
import dev.rbacsynth.select.SubjectSelector;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The one reading entry point: audit log files (and {@code -} for standard input) to the observed
 * usage of one subject, several, or every subject in the log, in one pass over the input. It
 * resolves the files, picks the envelope formats, keeps the read statistics and the problem log
 * (each unusable record reported once, on the message stream; under {@code --strict} the first one
 * stops the run) and shows progress when asked.
 *
 * <pre>{@code
 * UsageReader.Result r = UsageReader.of(files).strict(strict).messages(err).read(subject);
 * ObservedUsage usage = r.usage(subject);
 * }</pre>
 *
 * <p>A reader is configured, then used once.
 */
public final class UsageReader {
  /** How many unusable records are shown one by one before only counting them. */
  public static final int MAX_PROBLEMS_SHOWN = 20;

  private final List<String> files;
  private List<InputSource> resolved;
  private InputStream stdin = System.in;
  private boolean strict;
  private PrintWriter messages = new PrintWriter(Writer.nullWriter());
  private int maxProblemsShown = MAX_PROBLEMS_SHOWN;
  private boolean progress;
  private String namespace = "";
  private List<EnvelopeAdapter> adapters = Envelopes.all();
  // The reading plan; tests change it to compare the fast path with a full parse.
  private Boolean prefilter;
  private int threads;
  private long minSegment = ParallelReader.MIN_SEGMENT;

  private UsageReader(List<String> files) {
    this.files = List.copyOf(files);
  }

  /** Files, directories or {@code -} (standard input), as {@code -f} takes them. */
  public static UsageReader of(List<String> files) {
    return new UsageReader(files);
  }

  /** Sources already resolved (the usage ledger reads the new part of each file). */
  public static UsageReader ofSources(List<InputSource> sources) {
    UsageReader r = new UsageReader(List.of());
    r.resolved = List.copyOf(sources);
    return r;
  }

  /** The stream {@code -} reads (default {@code System.in}). */
  public UsageReader stdin(InputStream in) {
    this.stdin = Objects.requireNonNull(in);
    return this;
  }

  /**
   * Stop at the first unusable record ({@code --strict}). Strict reading also parses every line (no
   * pre-filter) with one reader, so the first problem met is the first in the input.
   */
  public UsageReader strict(boolean strict) {
    this.strict = strict;
    return this;
  }

  /** Where unusable records (and the progress line) are reported; default: nowhere. */
  public UsageReader messages(PrintWriter err) {
    this.messages = Objects.requireNonNull(err);
    return this;
  }

  /** How many unusable records are shown before only counting them. */
  public UsageReader maxProblemsShown(int n) {
    this.maxProblemsShown = n;
    return this;
  }

  /**
   * Show a progress line on the message stream while reading (only when the launcher enabled it for
   * a terminal, see {@link Progress}).
   */
  public UsageReader progress(boolean show) {
    this.progress = show;
    return this;
  }

  /** Keep only resource requests in this namespace ({@code -n}); "" keeps all. */
  public UsageReader namespace(String namespace) {
    this.namespace = Objects.requireNonNull(namespace);
    return this;
  }

  /** The envelope formats read besides native audit events (default: all of them). */
  public UsageReader adapters(List<EnvelopeAdapter> adapters) {
    this.adapters = List.copyOf(adapters);
    return this;
  }

  /** Spells the reading plan out: pre-filter or full parse, readers, smallest parallel segment. */
  UsageReader plan(boolean prefilter, int threads, long minSegment) {
    this.prefilter = prefilter;
    this.threads = threads;
    this.minSegment = minSegment;
    return this;
  }

  /** What reading produced, with the counters for the summary line. */
  public record Result(
      Map<Subject, ObservedUsage> usages,
      ReadStats stats,
      long problems,
      Map<String, Long> formats,
      Duration elapsed,
      Observation observation) {

    /**
     * A result read from logs: what was watched is the first and last event time of the whole input
     * (every subject's events, also the lines the pre-filter did not parse) and its number of audit
     * events.
     */
    public Result(
        Map<Subject, ObservedUsage> usages,
        ReadStats stats,
        long problems,
        Map<String, Long> formats,
        Duration elapsed) {
      this(
          usages,
          stats,
          problems,
          formats,
          elapsed,
          Observation.of(stats.firstEvent(), stats.lastEvent(), stats.allEvents()));
    }

    /**
     * The usage of one subject that was read ({@link ObservedUsage} is empty when nothing matched).
     */
    public ObservedUsage usage(Subject subject) {
      ObservedUsage usage = usages.get(subject);
      if (usage == null) {
        throw new IllegalArgumentException(subject.describe() + " was not read");
      }
      return usage;
    }
  }

  /** Above this many subjects, every line is parsed instead of searched for each name. */
  static final int MAX_PREFILTER_NAMES = 32;

  /**
   * Hands each event to the collectors of the subjects it may concern, found by the event's
   * usernames and groups (the authenticated and the impersonated user's), as {@link
   * dev.rbacsynth.select.SubjectSelector#mayConcern} decides: offering every event to every
   * collector made reading for many subjects quadratic.
   */
  private static final class BySubject implements RecordSink {
    private final Map<String, List<UsageCollector>> byUser = new HashMap<>();
    private final Map<String, List<UsageCollector>> byGroup = new HashMap<>();
    private final ProblemLog problems;

    BySubject(List<Subject> subjects, List<UsageCollector> collectors, ProblemLog problems) {
      this.problems = problems;
      for (int i = 0; i < subjects.size(); i++) {
        Subject s = subjects.get(i);
        (s instanceof Subject.Group ? byGroup : byUser)
            .computeIfAbsent(s.auditName(), k -> new ArrayList<>(1))
            .add(collectors.get(i));
      }
    }

    @Override
    public void event(AuditEvent event, SourceLocation location) {
      Set<UsageCollector> concerned = Collections.newSetFromMap(new IdentityHashMap<>());
      add(event.user(), concerned);
      if (event.impersonatedUser() != null) {
        add(event.impersonatedUser(), concerned);
      }
      for (UsageCollector c : concerned) {
        c.event(event, location);
      }
    }

    private void add(UserInfo user, Set<UsageCollector> out) {
      out.addAll(byUser.getOrDefault(user.username(), List.of()));
      if (!byGroup.isEmpty()) {
        for (String g : user.groups()) {
          out.addAll(byGroup.getOrDefault(g, List.of()));
        }
      }
    }

    @Override
    public void problem(ReadProblem problem) {
      problems.report(problem);
    }
  }

  /** The usage of one subject. */
  public Result read(Subject subject) {
    return read(List.of(subject));
  }

  /**
   * The usage of each subject, in the order given. Lines that name none of them are skipped
   * unparsed; each subject's requests are merged and aggregated on their own.
   */
  public Result read(List<Subject> subjects) {
    ProblemLog problems = problems();
    Map<Subject, ObservedUsage> usages = new LinkedHashMap<>();
    List<UsageCollector> collectors = new ArrayList<>();
    for (Subject subject : subjects) {
      ObservedUsage usage = new ObservedUsage();
      usages.put(subject, usage);
      collectors.add(new UsageCollector(new SubjectSelector(subject), namespace, usage, problems));
    }
    RecordSink sink =
        collectors.size() == 1 ? collectors.get(0) : new BySubject(subjects, collectors, problems);
    // One byte search per name and chunk: with many subjects (diff --all-subjects) parsing every
    // line costs less than searching for each name.
    LinePrefilter filter =
        subjects.size() > MAX_PREFILTER_NAMES
            ? LinePrefilter.ALL
            : SubjectPrefilter.forNames(subjects.stream().map(Subject::auditName).toList());
    return run(
        filter,
        sink,
        problems,
        () -> collectors.forEach(UsageCollector::finish),
        () -> Collections.unmodifiableMap(usages));
  }

  /**
   * The usage of every user and service account in the log, as requester and as impersonator,
   * sorted by kind and name. Groups are not subjects here: a group's usage is its members'.
   */
  public Result readAll() {
    ProblemLog problems = problems();
    EverySubjectCollector collector = new EverySubjectCollector(namespace, problems);
    return run(LinePrefilter.ALL, collector, problems, collector::finish, collector::usages);
  }

  /**
   * Every record of the input, unfiltered, to {@code sink} (the usage ledger's collector), with the
   * same resolving, parallel reading, problem log and progress as the other reads. Unusable records
   * go to the problem log and to the sink. {@link Result#usages()} is empty.
   */
  public Result readInto(RecordSink sink) {
    ProblemLog problems = problems();
    RecordSink both =
        new RecordSink() {
          @Override
          public void event(AuditEvent event, SourceLocation location) {
            sink.event(event, location);
          }

          @Override
          public boolean usageOnly() {
            return sink.usageOnly();
          }

          @Override
          public void problem(ReadProblem problem) {
            problems.report(problem);
            sink.problem(problem);
          }
        };
    return run(LinePrefilter.ALL, both, problems, () -> {}, Map::of);
  }

  private ProblemLog problems() {
    return new ProblemLog(messages, strict, maxProblemsShown);
  }

  private Result run(
      LinePrefilter filter,
      RecordSink sink,
      ProblemLog problems,
      Runnable finish,
      Supplier<Map<Subject, ObservedUsage>> usages) {
    List<InputSource> sources =
        resolved != null ? resolved : new InputResolver(stdin).resolve(files);
    boolean fast = prefilter != null ? prefilter : !strict;
    int readers = threads > 0 ? threads : (fast ? Runtime.getRuntime().availableProcessors() : 1);
    ReadStats stats = new ReadStats();
    long total = sources.stream().mapToLong(s -> Math.max(0, s.size())).sum();
    long start = System.nanoTime();
    RecordDispatcher dispatcher = new RecordDispatcher(adapters);
    AuditLogReader reader =
        new AuditLogReader(dispatcher, fast ? filter : LinePrefilter.ALL, stats);
    try (Progress shown = Progress.start(messages, stats, total, !progress)) {
      new ParallelReader(reader, readers, minSegment)
          .readAll(sources, sink, problems::countSuppressed);
    }
    dispatcher.warnings().forEach(problems::warn);
    finish.run();
    return new Result(
        usages.get(),
        stats,
        problems.count(),
        dispatcher.detectedFormats(),
        Duration.ofNanos(System.nanoTime() - start));
  }
}
