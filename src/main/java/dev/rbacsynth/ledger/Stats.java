package dev.rbacsynth.ledger;

import java.time.Instant;

/**
 * How often something was seen, and when first and last. Merging adds counts and keeps the earliest
 * first and the latest last, so it is commutative and associative.
 *
 * @param first null when no event carried a time
 * @param last null when no event carried a time
 */
public record Stats(long count, Instant first, Instant last) {
  public static final Stats NONE = new Stats(0, null, null);

  public static Stats of(Instant time) {
    return new Stats(1, time, time);
  }

  public Stats plus(Stats o) {
    return new Stats(count + o.count, min(first, o.first), max(last, o.last));
  }

  static Instant min(Instant a, Instant b) {
    return a == null ? b : b == null ? a : (a.isBefore(b) ? a : b);
  }

  static Instant max(Instant a, Instant b) {
    return a == null ? b : b == null ? a : (a.isAfter(b) ? a : b);
  }
}
