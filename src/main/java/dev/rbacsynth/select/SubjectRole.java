package dev.rbacsynth.select;

/** How the selected subject took part in a request. */
public enum SubjectRole {
  /** Not at all: the event is someone else's. */
  NONE,
  /** The request was authorized as the subject (the effective user: impersonatedUser when set). */
  REQUESTER,
  /** The subject impersonated someone else, so it needed the impersonation permissions. */
  IMPERSONATOR
}
