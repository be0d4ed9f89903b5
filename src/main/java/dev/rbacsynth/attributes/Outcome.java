package dev.rbacsynth.attributes;

/**
 * What happened to a request, from the decision annotation and the response code (semantics.md §3).
 */
public enum Outcome {
  /** RBAC (or another authorizer) allowed it and the handler did not answer 403. */
  ALLOWED,
  /**
   * The authorizer denied it ({@code decision: forbid}, or a 403 in a log too old to carry
   * annotations).
   */
  RBAC_DENIED,
  /**
   * Authorization allowed the logged verb but the request still got 403: admission (PodSecurity,
   * quota, webhooks) or a hidden second check (create on apply, bind, escalate, approve). RBAC for
   * the logged verb cannot fix it.
   */
  REJECTED_AFTER_AUTHORIZATION,
  /**
   * No decision was recorded (429, 400, ...): authorization never ran, but the request shows
   * intent.
   */
  UNDECIDED;

  public boolean denied() {
    return this == RBAC_DENIED || this == REJECTED_AFTER_AUTHORIZATION;
  }
}
