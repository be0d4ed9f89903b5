package dev.rbacsynth.fuzz;

import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.read.AuditLogReader;
import dev.rbacsynth.read.InputSource;
import dev.rbacsynth.read.LinePrefilter;
import dev.rbacsynth.read.ReadProblem;
import dev.rbacsynth.read.ReadStats;
import dev.rbacsynth.read.RecordDispatcher;
import dev.rbacsynth.read.RecordSink;
import dev.rbacsynth.read.SourceLocation;
import dev.rbacsynth.read.envelope.Envelopes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.zip.GZIPOutputStream;

/** Runs fuzzed bytes through the real reader, as the CLI does for standard input. */
final class Reading {

  /** One event as the reader delivered it. */
  record Located(AuditEvent event, SourceLocation location) {}

  /** What one read produced, with the reader's own counters. */
  record Result(List<Located> events, List<ReadProblem> problems, ReadStats stats) {}

  private Reading() {}

  /** Reads {@code bytes} and keeps every event and problem. */
  static Result read(byte[] bytes, LinePrefilter prefilter) {
    return read(bytes, prefilter, e -> true);
  }

  /** Reads {@code bytes} and keeps the events {@code keep} accepts, and every problem. */
  static Result read(byte[] bytes, LinePrefilter prefilter, Predicate<AuditEvent> keep) {
    ReadStats stats = new ReadStats();
    List<Located> events = new ArrayList<>();
    List<ReadProblem> problems = new ArrayList<>();
    RecordSink sink =
        new RecordSink() {
          @Override
          public void event(AuditEvent event, SourceLocation location) {
            if (keep.test(event)) {
              events.add(new Located(event, location));
            }
          }

          @Override
          public void problem(ReadProblem problem) {
            problems.add(problem);
          }
        };
    new AuditLogReader(new RecordDispatcher(Envelopes.all()), prefilter, stats)
        .read(new InputSource.StdinSource(new ByteArrayInputStream(bytes)), sink);
    return new Result(events, problems, stats);
  }

  static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** The lines of the real audit2rbac demo log (testdata/demo.log), each one audit event. */
  static List<String> demoLines() {
    try {
      return Files.readAllLines(Path.of("testdata/demo.log"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
