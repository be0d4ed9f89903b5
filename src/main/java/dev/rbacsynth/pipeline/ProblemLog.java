package dev.rbacsynth.pipeline;

import dev.rbacsynth.read.ReadProblem;
import dev.rbacsynth.read.StrictModeException;
import java.io.PrintWriter;

/**
 * Reports unusable records on stderr, one line each, up to a limit (a 100 GB log must not flood the
 * terminal), and counts them all. Under {@code --strict} the first one stops the run.
 */
public final class ProblemLog {
  private final PrintWriter err;
  private final boolean strict;
  private final int maxShown;
  private long count;
  private long warnings;

  public ProblemLog(PrintWriter err, boolean strict, int maxShown) {
    this.err = err;
    this.strict = strict;
    this.maxShown = maxShown;
  }

  public synchronized void report(ReadProblem problem) {
    if (strict) {
      throw new StrictModeException(problem);
    }
    count++;
    if (count <= maxShown) {
      err.println("warning: " + problem.format() + " (skipped)");
    } else if (count == maxShown + 1) {
      err.println("warning: more unusable records; only the first " + maxShown + " are shown");
    }
  }

  /**
   * Reports something odd about usable records (never fatal, not counted as a problem), up to the
   * same limit.
   */
  public synchronized void warn(String location, String message) {
    warnings++;
    if (warnings <= maxShown) {
      err.println("warning: " + location + ": " + message);
    } else if (warnings == maxShown + 1) {
      err.println("warning: more warnings; only the first " + maxShown + " are shown");
    }
  }

  /** Reports something about the input as a whole (an envelope adapter's), once, never fatal. */
  public synchronized void warn(String message) {
    err.println("warning: " + message);
  }

  /**
   * Counts problems that were found but not kept for display (a task keeps only its first ones).
   */
  public synchronized void countSuppressed(long n) {
    count += n;
  }

  public synchronized long count() {
    return count;
  }
}
