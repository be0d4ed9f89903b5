package dev.rbacsynth.pipeline;

import dev.rbacsynth.aggregate.ObservedUsage;
import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.kube.Subject;
import dev.rbacsynth.read.ReadProblem;
import dev.rbacsynth.read.RecordSink;
import dev.rbacsynth.read.SourceLocation;
import dev.rbacsynth.read.StageMerger;
import dev.rbacsynth.select.SubjectSelector;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link UsageCollector} for every subject of the log at once: each request counts for its
 * effective user (a ServiceAccount subject for a service-account username) and, when it was
 * impersonated, for the impersonator too.
 */
final class EverySubjectCollector implements RecordSink {
  private static final Comparator<Subject> ORDER =
      Comparator.comparing(Subject::kind).thenComparing(Subject::auditName);

  private final String namespace;
  private final ProblemLog problems;
  private final StageMerger merger;
  // Only touched from the merger's callback, which holds the merger's lock.
  private final Map<Subject, ObservedUsage> usages = new HashMap<>();

  EverySubjectCollector(String namespace, ProblemLog problems) {
    this.namespace = namespace;
    this.problems = problems;
    this.merger =
        new StageMerger(
            UsageCollector.MAX_PENDING_STAGES,
            this::merged,
            (location, message) -> problems.warn(location.toString(), message));
  }

  @Override
  public void event(AuditEvent event, SourceLocation location) {
    merger.accept(event, location);
  }

  @Override
  public void problem(ReadProblem problem) {
    problems.report(problem);
  }

  void finish() {
    merger.flush();
  }

  /** The usages, subjects sorted by kind and name. */
  Map<Subject, ObservedUsage> usages() {
    Map<Subject, ObservedUsage> sorted = new LinkedHashMap<>();
    usages.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(ORDER))
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return Collections.unmodifiableMap(sorted);
  }

  private void merged(AuditEvent event, SourceLocation location) {
    SubjectSelector.forEachUser(
        event,
        (user, role) -> {
          if (user != null && !user.username().isEmpty()) {
            Subject subject = Subject.forUsername(user.username());
            UsageCollector.add(
                event, role, namespace, usages.computeIfAbsent(subject, s -> new ObservedUsage()));
          }
        });
  }
}
