package dev.rbacsynth.review;

import dev.rbacsynth.aggregate.ObservedUsage;
import dev.rbacsynth.aggregate.Usage;
import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.compact.GenerateOptions;
import dev.rbacsynth.event.UserInfo;
import dev.rbacsynth.kube.Identities;
import dev.rbacsynth.kube.Subject;
import dev.rbacsynth.write.Naming;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares the RBAC that exists with what one subject did: missing, unused, risky, and the
 * suggested RBAC.
 */
public final class DiffReviewer {

  private final ExistingRbac existing;
  private final GenerateOptions options;
  private final Set<Subject> breakGlass;

  public DiffReviewer(ExistingRbac existing, GenerateOptions options) {
    this(existing, options, Set.of());
  }

  /**
   * @param breakGlass subjects whose grants are reported but never suggested for removal (besides
   *     the group system:masters, which always is)
   */
  public DiffReviewer(ExistingRbac existing, GenerateOptions options, Set<Subject> breakGlass) {
    this.existing = existing;
    this.options = options;
    this.breakGlass = Set.copyOf(breakGlass);
  }

  public SubjectReview review(Subject subject, ObservedUsage usage, Naming.Resolved naming) {
    Map<RequestAttributes, Usage> requests = usage.requests();
    UserInfo identity = Identities.ofSubject(subject, alwaysHeldGroups(requests));
    ExistingRbac.Reach reach = existing.reach(identity);
    List<AppliedRule> applied = reach.rules();
    List<String> warnings = new ArrayList<>(reach.unresolved());
    // A group's members' requests are judged with each member's own bindings, under the member
    // (--user, --serviceaccount, or its own section of --all-subjects): the group's grants alone
    // say nothing about whether a member's request would be denied.
    List<Missing> missing =
        subject instanceof Subject.Group
            ? List.of()
            : Missing.find(existing.authorizer(), subject, requests);
    if (subject instanceof Subject.Group && !requests.isEmpty()) {
      warnings.add(
          "missing requests are reported under the member who made them, not under the group: "
              + "review a member with --user or --serviceaccount");
    }
    // No event at all is no evidence: the grants are "not observed", not unused.
    boolean observed = usage.matchedEvents() > 0;
    List<Unused> unused =
        observed ? Unused.find(existing.authorizer(), applied, subject, requests) : List.of();
    if (!observed && !applied.isEmpty()) {
      warnings.add(
          "not observed: no audit event of "
              + subject.describe()
              + " in the log, so its "
              + applied.size()
              + " rule(s) are not judged unused");
    }
    List<Used> used =
        observed ? Used.find(existing.authorizer(), applied, subject, requests) : List.of();
    List<Risk> risky = Risk.find(applied);
    Suggestion suggestion;
    if (breakGlass.contains(subject) || subject.equals(new Subject.Group(Identities.MASTERS))) {
      suggestion =
          Suggestion.keep(
              subject.describe()
                  + " is break-glass (system:masters or --ignore-subject): its grants are reported, "
                  + "never suggested for removal");
    } else if (subject instanceof Subject.Group) {
      suggestion =
          Suggestion.keep(
              "a group's members' requests are their own: no grant is suggested for the group as a "
                  + "whole (review a member with --user or --serviceaccount)");
    } else if (!observed) {
      suggestion =
          Suggestion.keep(
              "not observed: no removal is suggested for a subject with no audit event in the log");
    } else {
      suggestion = Suggestion.of(existing, subject, usage, identity, applied, options, naming);
    }
    warnings.addAll(suggestion.notes());
    if (applied.isEmpty() && !(subject instanceof Subject.Group)) {
      warnings.add(noBindingReaches(subject));
    }
    if (identity.groups().contains(Identities.MASTERS)) {
      warnings.add(
          "the subject is in system:masters: the apiserver allows all its requests before RBAC runs");
    }
    usage
        .refusedRequests()
        .forEach(
            (request, use) ->
                warnings.add(
                    "refused, not counted as missing: "
                        + request.describe()
                        + " ("
                        + use.total().count()
                        + "x): "
                        + use.implication()));
    return new SubjectReview(
        subject,
        requests,
        usage.matchedEvents(),
        requests.size(),
        applied,
        missing,
        unused,
        used,
        risky,
        suggestion,
        warnings);
  }

  /**
   * "no binding reaches": with the nearest bound subjects and the --map-subject that would map the
   * nearest one onto the subject.
   */
  private String noBindingReaches(Subject subject) {
    List<Subject> near = NearestSubjects.of(subject, existing.boundSubjects(), 3);
    StringBuilder s =
        new StringBuilder("no binding of the given RBAC names ")
            .append(subject.describe())
            .append(" (nor a group it is in)");
    if (near.isEmpty()) {
      return s.append(": every observed request outside the defaults is missing").toString();
    }
    s.append("; did you mean ")
        .append(String.join(" or ", near.stream().map(Subject::describe).toList()))
        .append("? If the manifests name it differently, map it: --map-subject ")
        .append(mapArgument(near.get(0)))
        .append('=')
        .append(mapArgument(subject));
    return s.toString();
  }

  private static String mapArgument(Subject s) {
    if (s instanceof Subject.ServiceAccount sa) {
      return sa.namespace() + ":" + sa.name();
    }
    return (s instanceof Subject.Group ? "group:" : "user:") + s.auditName();
  }

  /** Groups the subject had in every request (none when it made no request). */
  static Set<String> alwaysHeldGroups(Map<RequestAttributes, Usage> requests) {
    Set<String> common = null;
    for (Usage u : requests.values()) {
      if (common == null) {
        common = new TreeSet<>(u.commonGroups());
      } else {
        common.retainAll(u.commonGroups());
      }
    }
    return common == null ? Set.of() : common;
  }
}
