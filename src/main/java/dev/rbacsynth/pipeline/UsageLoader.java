package dev.rbacsynth.pipeline;

import dev.rbacsynth.aggregate.ObservedUsage;
import dev.rbacsynth.kube.Subject;
import dev.rbacsynth.read.AuditLogReader;
import dev.rbacsynth.read.EnvelopeAdapter;
import dev.rbacsynth.read.InputSource;
import dev.rbacsynth.read.LinePrefilter;
import dev.rbacsynth.read.ParallelReader;
import dev.rbacsynth.read.ReadStats;
import dev.rbacsynth.read.RecordDispatcher;
import dev.rbacsynth.select.SubjectPrefilter;
import dev.rbacsynth.select.SubjectSelector;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs the reading half of the pipeline for one subject: sources → events → the subject's observed
 * usage.
 */
public final class UsageLoader {

  /** What reading produced, with the counters for the summary line. */
  public record Result(
      ObservedUsage usage,
      ReadStats stats,
      long problems,
      Map<String, Long> formats,
      Duration elapsed) {}

  private UsageLoader() {}

  /**
   * @param prefilter whether to skip lines that cannot concern the subject without parsing them
   *     (off under {@code --strict}, which must see every malformed record)
   */
  public static Result load(
      List<InputSource> sources,
      Subject subject,
      String namespace,
      ProblemLog problems,
      List<EnvelopeAdapter> adapters,
      ReadStats stats,
      boolean prefilter) {
    return load(
        sources,
        subject,
        namespace,
        problems,
        adapters,
        stats,
        prefilter,
        readerThreads(prefilter),
        ParallelReader.MIN_SEGMENT);
  }

  /**
   * One reader per core, or one under {@code --strict} (no pre-filter), where the first problem
   * must be met first.
   */
  static int readerThreads(boolean prefilter) {
    return prefilter ? Runtime.getRuntime().availableProcessors() : 1;
  }

  /** As above, with the reading plan spelled out (tests force small parallel segments). */
  public static Result load(
      List<InputSource> sources,
      Subject subject,
      String namespace,
      ProblemLog problems,
      List<EnvelopeAdapter> adapters,
      ReadStats stats,
      boolean prefilter,
      int threads,
      long minSegment) {
    long start = System.nanoTime();
    ObservedUsage usage = new ObservedUsage();
    RecordDispatcher dispatcher = new RecordDispatcher(adapters);
    UsageCollector collector =
        new UsageCollector(new SubjectSelector(subject), namespace, usage, problems);
    AuditLogReader reader =
        new AuditLogReader(
            dispatcher,
            prefilter ? SubjectPrefilter.forName(subject.auditName()) : LinePrefilter.ALL,
            stats);
    new ParallelReader(reader, threads, minSegment)
        .readAll(sources, collector, problems::countSuppressed);
    collector.finish();
    return new Result(
        usage,
        stats,
        problems.count(),
        dispatcher.detectedFormats(),
        Duration.ofNanos(System.nanoTime() - start));
  }
}
