package dev.rbacsynth.aggregate;

import java.time.Instant;

/** How often one outcome was seen for one request, and when first and last. */
public final class OutcomeStats {
  private long count;
  private Instant first;
  private Instant last;

  public OutcomeStats() {}

  /** Stats aggregated elsewhere (a usage ledger). */
  public OutcomeStats(long count, Instant first, Instant last) {
    this.count = count;
    this.first = first;
    this.last = last;
  }

  void add(Instant time) {
    count++;
    if (time != null) {
      if (first == null || time.isBefore(first)) {
        first = time;
      }
      if (last == null || time.isAfter(last)) {
        last = time;
      }
    }
  }

  void merge(OutcomeStats other) {
    count += other.count;
    if (other.first != null && (first == null || other.first.isBefore(first))) {
      first = other.first;
    }
    if (other.last != null && (last == null || other.last.isAfter(last))) {
      last = other.last;
    }
  }

  public long count() {
    return count;
  }

  /** May be null when the events carried no timestamp. */
  public Instant first() {
    return first;
  }

  public Instant last() {
    return last;
  }
}
