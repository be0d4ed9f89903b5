package dev.rbacsynth.select;

import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.kube.Subject;

/**
 * Decides whose request an event is. The main decision is about {@code impersonatedUser} when it is
 * set; the authenticated {@code user} then needed permission to impersonate (rbac-semantics 1.7,
 * cases 29-31).
 */
public record SubjectSelector(Subject subject) {

  public SubjectRole roleIn(AuditEvent event) {
    if (subject.matches(event.effectiveUser())) {
      return SubjectRole.REQUESTER;
    }
    if (event.impersonatedUser() != null && subject.matches(event.user())) {
      return SubjectRole.IMPERSONATOR;
    }
    return SubjectRole.NONE;
  }

  /**
   * True when the event might concern the subject at any stage. A RequestReceived copy lacks
   * impersonatedUser, so the authenticated user is checked too; the final stage decides.
   */
  public boolean mayConcern(AuditEvent event) {
    return subject.matches(event.user())
        || (event.impersonatedUser() != null && subject.matches(event.impersonatedUser()));
  }
}
