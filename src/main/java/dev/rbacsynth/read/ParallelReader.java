package dev.rbacsynth.read;

import dev.rbacsynth.event.AuditEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * Reads several sources at once, and splits a large uncompressed JSON-lines file into line-aligned
 * segments read in parallel. Events go to the sink as they are found (the sink must be
 * thread-safe); problems are held per task and reported afterwards in input order with their true
 * line numbers, so messages do not depend on timing.
 */
public final class ParallelReader {

  public static final long MIN_SEGMENT = 64L << 20;
  private static final int KEPT_PROBLEMS_PER_TASK = 100;

  /**
   * Problems held back by one task, with the line count needed to number the next segment's lines.
   */
  private static final class Task implements RecordSink {
    final InputSource source;
    final long start;
    final long end;
    final boolean segment;
    final RecordSink sink;
    final List<ReadProblem> problems = new ArrayList<>();
    long moreProblems;
    long lines;

    Task(InputSource source, long start, long end, boolean segment, RecordSink sink) {
      this.source = source;
      this.start = start;
      this.end = end;
      this.segment = segment;
      this.sink = sink;
    }

    @Override
    public void event(AuditEvent event, SourceLocation location) {
      sink.event(event, location);
    }

    @Override
    public boolean usageOnly() {
      return sink.usageOnly();
    }

    @Override
    public synchronized void problem(ReadProblem problem) {
      if (problems.size() < KEPT_PROBLEMS_PER_TASK) {
        problems.add(problem);
      } else {
        moreProblems++;
      }
    }
  }

  private final AuditLogReader reader;
  private final int threads;
  private final long minSegment;

  public ParallelReader(AuditLogReader reader, int threads) {
    this(reader, threads, MIN_SEGMENT);
  }

  /**
   * @param minSegment the smallest part a file is split into (tests use small ones)
   */
  public ParallelReader(AuditLogReader reader, int threads, long minSegment) {
    this.reader = reader;
    this.threads = Math.max(1, threads);
    this.minSegment = minSegment;
  }

  /**
   * @param overflow called with the number of problems beyond those kept for reporting
   */
  public void readAll(List<InputSource> sources, RecordSink sink, LongConsumer overflow) {
    if (threads == 1) {
      for (int i = 0; i < sources.size(); i++) {
        InputOrder.begin(i);
        try {
          reader.read(sources.get(i), sink);
        } finally {
          InputOrder.end();
        }
      }
      return;
    }
    List<Task> tasks = plan(sources, sink);
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "rbac-synth-reader");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<Long>> results = new ArrayList<>();
      for (int i = 0; i < tasks.size(); i++) {
        Task task = tasks.get(i);
        int part = i;
        results.add(
            pool.submit(
                () -> {
                  InputOrder.begin(part);
                  try {
                    return run(task);
                  } finally {
                    InputOrder.end();
                  }
                }));
      }
      for (int i = 0; i < tasks.size(); i++) {
        tasks.get(i).lines = results.get(i).get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InputException("interrupted while reading");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      if (e.getCause() instanceof Error error) {
        throw error; // out of memory, a bug: never an input error (exit 4, not 2)
      }
      throw new InputException(e.getCause().toString(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    long base = 0;
    InputSource previous = null;
    for (Task task : tasks) {
      if (task.source != previous) {
        base = 0;
        previous = task.source;
      }
      for (ReadProblem p : task.problems) {
        long line = p.location().line();
        sink.problem(
            line > 0 && task.segment
                ? new ReadProblem(
                    new SourceLocation(p.location().source(), base + line), p.message())
                : p);
      }
      if (task.moreProblems > 0) {
        overflow.accept(task.moreProblems);
      }
      base += task.lines;
    }
  }

  private long run(Task task) {
    if (task.segment) {
      Path file = ((InputSource.FileSource) task.source).path();
      return reader.readSegment(file, task.source.name(), task.start, task.end, task);
    }
    reader.read(task.source, task);
    return 0;
  }

  private List<Task> plan(List<InputSource> sources, RecordSink sink) {
    List<Task> tasks = new ArrayList<>();
    for (InputSource source : sources) {
      if (source instanceof InputSource.FileSource file
          && source.size() >= 2 * minSegment
          && reader.isPlainJsonLines(file.path())) {
        long size = source.size();
        int parts = (int) Math.min(threads, size / minSegment);
        long start = 0;
        for (int k = 1; k <= parts; k++) {
          long end = k == parts ? size : nextLineStart(file.path(), size * k / parts);
          if (end > start) {
            tasks.add(new Task(source, start, end, true, sink));
          }
          start = end;
        }
      } else {
        tasks.add(new Task(source, 0, -1, false, sink));
      }
    }
    return tasks;
  }

  /**
   * The start of the first line at or after {@code from} that begins with {@code '{'}: a record
   * start, so a record over several lines (pretty-printed, YAML) is never split between segments.
   */
  private static long nextLineStart(Path file, long from) {
    try (InputStream in = Files.newInputStream(file)) {
      in.skipNBytes(from);
      long pos = from;
      byte[] buf = new byte[1 << 16];
      boolean afterNewline = false;
      int n;
      while ((n = in.read(buf)) > 0) {
        for (int i = 0; i < n; i++) {
          if (afterNewline && buf[i] == '{') {
            return pos + i;
          }
          afterNewline = buf[i] == '\n';
        }
        pos += n;
      }
      return pos;
    } catch (IOException e) {
      throw new InputException(file + ": " + e.getMessage(), e);
    }
  }
}
