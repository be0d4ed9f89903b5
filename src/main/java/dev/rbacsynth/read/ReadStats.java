package dev.rbacsynth.read;

import java.time.Instant;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/** Counters the reader keeps while it runs; read by the progress display and the summary line. */
public final class ReadStats {
  /** Bytes read from the sources as stored (compressed bytes for gzip). */
  public final LongAdder storedBytes = new LongAdder();

  /**
   * Bytes of log read: the same as {@link #storedBytes} for plain files, the inflated bytes for
   * gzip (what the summary line gives: a 0.8 MB gzip file of a 10.5 MB log is 10.5 MB of log).
   * Added when a source has been read.
   */
  public final LongAdder logBytes = new LongAdder();

  /** Lines (JSON lines mode) or documents (YAML, pretty JSON) seen. */
  public final LongAdder records = new LongAdder();

  /** Lines the byte pre-filter proved irrelevant to the subject, so they were never parsed. */
  public final LongAdder skippedByPrefilter = new LongAdder();

  /** Audit events decoded (after unwrapping lists and envelopes). */
  public final LongAdder events = new LongAdder();

  /** Records that could not be used. */
  public final LongAdder problems = new LongAdder();

  /**
   * Event lines the pre-filter skipped whose time was read from their bytes: together with {@link
   * #events} they are every audit event of the input, whichever lines were parsed.
   */
  public final LongAdder skippedEvents = new LongAdder();

  // The observation window: the first and last event time of the whole input, in epoch nanoseconds.
  private final LongAccumulator firstNanos = new LongAccumulator(Math::min, Long.MAX_VALUE);
  private final LongAccumulator lastNanos = new LongAccumulator(Math::max, Long.MIN_VALUE);

  /**
   * Counts one audit event of the input (any subject's) in the window: the window runs from the
   * earliest time a request was received to the latest time a stage was logged, as a usage ledger
   * counts it.
   *
   * @param received when the request was received (null when unknown)
   * @param logged when this stage was logged (null when unknown)
   */
  public void observe(Instant received, Instant logged) {
    if (received != null) {
      firstNanos.accumulate(received.getEpochSecond() * 1_000_000_000L + received.getNano());
    }
    if (logged != null) {
      lastNanos.accumulate(logged.getEpochSecond() * 1_000_000_000L + logged.getNano());
    }
  }

  /** The earliest event time of the input, or null when no event had a time. */
  public Instant firstEvent() {
    long n = firstNanos.get();
    return n == Long.MAX_VALUE ? null : Instant.ofEpochSecond(0, n);
  }

  /** The latest event time of the input, or null when no event had a time. */
  public Instant lastEvent() {
    long n = lastNanos.get();
    return n == Long.MIN_VALUE ? null : Instant.ofEpochSecond(0, n);
  }

  /** Audit events in the input: those parsed and those the pre-filter skipped. */
  public long allEvents() {
    return events.sum() + skippedEvents.sum();
  }
}
