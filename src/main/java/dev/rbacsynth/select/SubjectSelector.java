package dev.rbacsynth.select;

import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.event.UserInfo;
import dev.rbacsynth.kube.Subject;
import java.util.function.BiConsumer;

/**
 * Decides whose request an event is. The main decision is about {@code impersonatedUser} when it is
 * set; the authenticated {@code user} then needed permission to impersonate (semantics.md §1.1,
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

  /**
   * Every user an event counts for, with the role it has: the effective user as requester and, when
   * the request was impersonated, the authenticated user as impersonator. The same decision as
   * {@link #roleIn} for a subject that is one user.
   */
  public static void forEachUser(AuditEvent event, BiConsumer<UserInfo, SubjectRole> action) {
    action.accept(event.effectiveUser(), SubjectRole.REQUESTER);
    if (event.impersonatedUser() != null) {
      action.accept(event.user(), SubjectRole.IMPERSONATOR);
    }
  }
}
