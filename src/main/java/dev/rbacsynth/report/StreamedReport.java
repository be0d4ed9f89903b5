package dev.rbacsynth.report;

import dev.rbacsynth.review.Finding;
import dev.rbacsynth.review.SubjectReview;
import java.io.IOException;

/**
 * A {@code diff --all-subjects} report written as the reviews come (100 000 subjects' reviews do
 * not fit in the heap together), byte for byte what the format's renderer writes for the list of
 * the same reviews: {@link #add} each review in the report's order, then {@link #finish}. The
 * totals the summary needs are counted on the way.
 */
public interface StreamedReport {
  void add(SubjectReview review) throws IOException;

  /** Writes what follows the last review and flushes; does not close the target. */
  void finish() throws IOException;

  /** The counts of the reviews added so far, which {@link #add} keeps. */
  Totals totals();

  /** How many reviews were added. */
  default long subjects() {
    return totals().subjects();
  }

  /** How many of them had events. */
  default long seen() {
    return totals().seen();
  }

  /** The findings of a kind over the reviews added. */
  default long total(Finding finding) {
    return totals().total(finding);
  }

  /** The counts behind {@link #subjects}, {@link #seen} and {@link #total}. */
  final class Totals {
    private long subjects;
    private long seen;
    private final long[] findings = new long[Finding.values().length];

    void add(SubjectReview review) {
      subjects++;
      seen += review.events() > 0 ? 1 : 0;
      for (Finding f : Finding.values()) {
        findings[f.ordinal()] += review.count(f);
      }
    }

    long subjects() {
      return subjects;
    }

    long seen() {
      return seen;
    }

    long total(Finding f) {
      return findings[f.ordinal()];
    }

    /** The TOTAL line of the reviews counted, as {@code DiffSummary.line} words it. */
    String line() {
      return DiffSummary.line(
          subjects, seen, total(Finding.MISSING), total(Finding.UNUSED), total(Finding.RISKY));
    }
  }
}
