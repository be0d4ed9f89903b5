package dev.rbacsynth.review;

import dev.rbacsynth.aggregate.Usage;
import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.kube.Subject;
import java.util.List;
import java.util.Map;

/**
 * Everything {@code diff} found for one subject.
 *
 * @param events audit events in which the subject took part
 * @param distinctRequests distinct authorization checks they stand for (implied checks included)
 * @param applied the rules of the given RBAC that reach the subject (before)
 * @param used the rules of {@code applied} that allowed observed requests, with those requests
 * @param usage the subject's observed requests with their usage (counts, times, a sample audit ID)
 * @param warnings things the reviewer should know that are not findings (bindings to missing roles,
 *     ...)
 */
public record SubjectReview(
    Subject subject,
    Map<RequestAttributes, Usage> usage,
    long events,
    int distinctRequests,
    List<AppliedRule> applied,
    List<Missing> missing,
    List<Unused> unused,
    List<Used> used,
    List<Risk> risky,
    Suggestion suggestion,
    List<String> warnings) {

  public boolean has(Finding finding) {
    return count(finding) > 0;
  }

  public int count(Finding finding) {
    return switch (finding) {
      case MISSING -> missing.size();
      case UNUSED -> unused.size();
      case RISKY -> risky.size();
    };
  }

  /** Atomic grants that reach the subject, are not inert, and were not used. */
  public int unusedGrants() {
    return unused.stream().mapToInt(u -> u.unusedGrants().size()).sum();
  }

  /** Rules with at least one grant this binding cannot give. */
  public int inertRules() {
    return (int) unused.stream().filter(u -> !u.inert().isEmpty()).count();
  }

  /** Rules with a wildcard that was used only as some of the values it covers. */
  public int wildcardRules() {
    return (int) unused.stream().filter(u -> !u.narrowed().isEmpty()).count();
  }

  /** Bindings (not rules) that reach the subject. */
  public long bindings() {
    return applied.stream().map(AppliedRule::binding).distinct().count();
  }
}
