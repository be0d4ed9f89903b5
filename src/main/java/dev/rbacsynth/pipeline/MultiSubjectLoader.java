package dev.rbacsynth.pipeline;

import dev.rbacsynth.aggregate.ObservedUsage;
import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.kube.Subject;
import dev.rbacsynth.read.AuditLogReader;
import dev.rbacsynth.read.EnvelopeAdapter;
import dev.rbacsynth.read.InputSource;
import dev.rbacsynth.read.LinePrefilter;
import dev.rbacsynth.read.ParallelReader;
import dev.rbacsynth.read.ReadProblem;
import dev.rbacsynth.read.ReadStats;
import dev.rbacsynth.read.RecordDispatcher;
import dev.rbacsynth.read.RecordSink;
import dev.rbacsynth.read.SourceLocation;
import dev.rbacsynth.select.SubjectPrefilter;
import dev.rbacsynth.select.SubjectSelector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link UsageLoader} for several subjects in one pass over the input (which may be standard input,
 * readable only once): one collector per subject behind one reader, and each unusable record
 * reported once.
 */
public final class MultiSubjectLoader {
  private MultiSubjectLoader() {}

  /**
   * The usage of each subject, in the order given; the counters of the results are shared.
   *
   * @param prefilter whether to skip, unparsed, lines that cannot concern a single subject (off
   *     under {@code --strict}, which must see every malformed record)
   */
  public static Map<Subject, UsageLoader.Result> load(
      List<InputSource> sources,
      List<Subject> subjects,
      ProblemLog problems,
      List<EnvelopeAdapter> adapters,
      ReadStats stats,
      boolean prefilter) {
    return load(
        sources,
        subjects,
        problems,
        adapters,
        stats,
        prefilter,
        UsageLoader.readerThreads(prefilter),
        ParallelReader.MIN_SEGMENT);
  }

  /** As above, with the reading plan spelled out (tests force small parallel segments). */
  public static Map<Subject, UsageLoader.Result> load(
      List<InputSource> sources,
      List<Subject> subjects,
      ProblemLog problems,
      List<EnvelopeAdapter> adapters,
      ReadStats stats,
      boolean prefilter,
      int threads,
      long minSegment) {
    long start = System.nanoTime();
    Map<Subject, ObservedUsage> usages = new LinkedHashMap<>();
    List<UsageCollector> collectors = new ArrayList<>();
    for (Subject subject : subjects) {
      ObservedUsage usage = new ObservedUsage();
      usages.put(subject, usage);
      collectors.add(new UsageCollector(new SubjectSelector(subject), "", usage, problems));
    }
    RecordSink fanOut =
        new RecordSink() {
          @Override
          public void event(AuditEvent event, SourceLocation location) {
            for (UsageCollector c : collectors) {
              c.event(event, location);
            }
          }

          @Override
          public void problem(ReadProblem problem) {
            problems.report(problem);
          }
        };
    RecordDispatcher dispatcher = new RecordDispatcher(adapters);
    // Lines that name none of the subjects are skipped unparsed; the collectors are thread-safe, so
    // large files are read in parallel segments as for one subject.
    LinePrefilter filter =
        prefilter
            ? SubjectPrefilter.forNames(subjects.stream().map(Subject::auditName).toList())
            : LinePrefilter.ALL;
    AuditLogReader reader = new AuditLogReader(dispatcher, filter, stats);
    new ParallelReader(reader, threads, minSegment)
        .readAll(sources, fanOut, problems::countSuppressed);
    collectors.forEach(UsageCollector::finish);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    Map<Subject, UsageLoader.Result> out = new LinkedHashMap<>();
    usages.forEach(
        (subject, usage) ->
            out.put(
                subject,
                new UsageLoader.Result(
                    usage, stats, problems.count(), dispatcher.detectedFormats(), elapsed)));
    return out;
  }
}
