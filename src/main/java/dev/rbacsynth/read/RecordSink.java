package dev.rbacsynth.read;

import dev.rbacsynth.event.AuditEvent;

/** Receives what the reader finds, in input order. */
public interface RecordSink {
  void event(AuditEvent event, SourceLocation location);

  void problem(ReadProblem problem);
}
