package dev.rbacsynth.aggregate;

import java.time.Instant;

/**
 * Times of requests as epoch nanoseconds in a {@code long}, {@link #NONE} for no time: what
 * per-request usage keeps instead of an {@link Instant} object per time (the aggregate's {@link
 * Usage} and the ledger's rows).
 */
public final class EpochNanos {
  /** No time. */
  public static final long NONE = Long.MIN_VALUE;

  private EpochNanos() {}

  /** {@code t} in epoch nanoseconds; {@link #NONE} for null. */
  public static long of(Instant t) {
    return t == null ? NONE : t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  /** The instant of {@code nanos}; null for {@link #NONE}. */
  public static Instant instant(long nanos) {
    return nanos == NONE
        ? null
        : Instant.ofEpochSecond(
            Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }

  /** The earlier of two times, either of which may be {@link #NONE}. */
  public static long min(long a, long b) {
    return a == NONE ? b : b == NONE ? a : Math.min(a, b);
  }

  /** The later of two times, either of which may be {@link #NONE}. */
  public static long max(long a, long b) {
    return a == NONE ? b : b == NONE ? a : Math.max(a, b);
  }
}
