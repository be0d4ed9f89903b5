package dev.rbacsynth.event;

/** Audit stages, ranked so that the final stage of a request wins when stages are merged. */
public enum Stage {
  REQUEST_RECEIVED("RequestReceived", 1),
  RESPONSE_STARTED("ResponseStarted", 2),
  PANIC("Panic", 3),
  RESPONSE_COMPLETE("ResponseComplete", 4),
  /** An unknown or missing stage value: treated as non-final, but never dropped. */
  UNKNOWN("", 0);

  private final String wireName;
  private final int rank;

  Stage(String wireName, int rank) {
    this.wireName = wireName;
    this.rank = rank;
  }

  private static final Stage[] ALL = values();

  public static Stage parse(String value) {
    for (Stage s : ALL) {
      if (s != UNKNOWN && s.wireName.equals(value)) {
        return s;
      }
    }
    return UNKNOWN;
  }

  public String wireName() {
    return wireName;
  }

  /** ResponseComplete and Panic end a request: no later stage follows. */
  public boolean isFinal() {
    return this == RESPONSE_COMPLETE || this == PANIC;
  }

  /** Stages written after authorization carry the decision and the impersonated user. */
  public boolean isAfterAuthorization() {
    return this == RESPONSE_STARTED || isFinal();
  }

  public int rank() {
    return rank;
  }
}
