package dev.rbacsynth.read;

import java.util.concurrent.atomic.LongAdder;

/** Counters the reader keeps while it runs; read by the progress display and the summary line. */
public final class ReadStats {
  /** Bytes read from the sources as stored (compressed bytes for gzip). */
  public final LongAdder storedBytes = new LongAdder();

  /** Lines (JSON lines mode) or documents (YAML, pretty JSON) seen. */
  public final LongAdder records = new LongAdder();

  /** Lines the byte pre-filter proved irrelevant to the subject, so they were never parsed. */
  public final LongAdder skippedByPrefilter = new LongAdder();

  /** Audit events decoded (after unwrapping lists and envelopes). */
  public final LongAdder events = new LongAdder();

  /** Records that could not be used. */
  public final LongAdder problems = new LongAdder();
}
