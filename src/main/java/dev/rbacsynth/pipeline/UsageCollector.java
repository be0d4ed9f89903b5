package dev.rbacsynth.pipeline;

import dev.rbacsynth.aggregate.ObservedUsage;
import dev.rbacsynth.attributes.EventInterpreter;
import dev.rbacsynth.attributes.Interpretation;
import dev.rbacsynth.attributes.Requirement;
import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.read.ReadProblem;
import dev.rbacsynth.read.RecordSink;
import dev.rbacsynth.read.SourceLocation;
import dev.rbacsynth.read.StageMerger;
import dev.rbacsynth.select.SubjectRole;
import dev.rbacsynth.select.SubjectSelector;
import java.util.List;

/**
 * The pipeline between reading and rule generation: keep the final stage of each request, keep the
 * subject's requests, turn each into authorization checks, and aggregate them.
 */
public final class UsageCollector implements RecordSink {
  static final int MAX_PENDING_STAGES = 200_000;

  private final SubjectSelector selector;
  private final String namespace;
  private final ObservedUsage usage;
  private final ProblemLog problems;
  private final StageMerger merger;

  /**
   * @param namespace keep only requests in this namespace ({@code -n}); "" keeps all
   */
  public UsageCollector(
      SubjectSelector selector, String namespace, ObservedUsage usage, ProblemLog problems) {
    this.selector = selector;
    this.namespace = namespace;
    this.usage = usage;
    this.problems = problems;
    this.merger =
        new StageMerger(
            MAX_PENDING_STAGES,
            this::merged,
            (location, message) -> problems.warn(location.toString(), message));
  }

  @Override
  public void event(AuditEvent event, SourceLocation location) {
    if (selector.mayConcern(event)) {
      merger.accept(event, location);
    }
  }

  @Override
  public void problem(ReadProblem problem) {
    problems.report(problem);
  }

  /** Call once all sources are read. */
  public void finish() {
    merger.flush();
  }

  private void merged(AuditEvent event, SourceLocation location) {
    SubjectRole role = selector.roleIn(event);
    if (role != SubjectRole.NONE) {
      add(event, role, namespace, usage);
    }
  }

  /**
   * Adds one merged event to the usage of the subject that has {@code role} in it: its checks
   * (those in {@code namespace} only, unless "") with the groups that subject had.
   */
  static void add(AuditEvent event, SubjectRole role, String namespace, ObservedUsage usage) {
    Interpretation interpretation = interpret(event, role, namespace);
    if (interpretation != null) {
      usage.add(
          interpretation,
          event.requestReceivedTimestamp(),
          groups(event, role),
          interpretation.dryRun(),
          event.auditID() == null ? "" : event.auditID());
    }
  }

  /**
   * The checks one merged event counts for the subject that has {@code role} in it, those in {@code
   * namespace} only (unless ""); null when none is left. The one interpretation of an event that
   * {@code generate}, {@code collect} and the ledger share.
   */
  public static Interpretation interpret(AuditEvent event, SubjectRole role, String namespace) {
    Interpretation interpretation = EventInterpreter.interpret(event, role);
    if (!namespace.isEmpty()) {
      List<Requirement> kept =
          interpretation.requirements().stream()
              .filter(
                  r ->
                      r.attributes().resourceRequest()
                          && r.attributes().namespace().equals(namespace))
              .toList();
      if (kept.isEmpty()) {
        return null;
      }
      interpretation = new Interpretation(kept, interpretation.skip(), interpretation.dryRun());
    }
    return interpretation;
  }

  /** The groups of the subject that has {@code role} in the event. */
  public static List<String> groups(AuditEvent event, SubjectRole role) {
    return role == SubjectRole.REQUESTER ? event.effectiveUser().groups() : event.user().groups();
  }
}
