package dev.rbacsynth.read;

import dev.rbacsynth.event.AuditEvent;

/** Receives what the reader finds, in input order. */
public interface RecordSink {
  void event(AuditEvent event, SourceLocation location);

  /**
   * True when the sink reads of an event only what usage is made of (the authorizer's view, times,
   * user agent): the reader may then decode log lines leanly ({@link EventDecoder}), without the
   * annotations other than the authorization decision and without the uid and extra of the
   * requesting user (those of an impersonated user are kept). A sink that wraps another says what
   * the other says.
   */
  default boolean usageOnly() {
    return false;
  }

  void problem(ReadProblem problem);
}
