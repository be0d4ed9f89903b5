package dev.rbacsynth.cli;

import dev.rbacsynth.aggregate.ObservedUsage;
import dev.rbacsynth.kube.Subject;
import dev.rbacsynth.pipeline.UsageReader;
import dev.rbacsynth.read.ReadStats;
import dev.rbacsynth.report.ObservationWindow;
import java.io.PrintWriter;
import java.util.Locale;

/** What the audit-reading commands share: the reader for their options and the summary line. */
final class Runs {
  private Runs() {}

  /** The reader for {@code -f}, {@code --strict} and {@code -q}, reporting on {@code err}. */
  static UsageReader reader(InputOptions input, PrintWriter err) {
    return UsageReader.of(input.files).strict(input.strict).messages(err);
  }

  /**
   * The observation line, {@code rbac-synth: observed FROM to TO (3m57s), N audit event(s)}, then
   * the short-window warning when there is one.
   */
  static void observation(
      PrintWriter err, ObservationWindow window, Subject subject, ObservedUsage usage) {
    StringBuilder line = new StringBuilder("rbac-synth: observed ").append(window.header());
    if (subject != null && usage.firstSeen() != null) {
      line.append("; ")
          .append(subject.describe())
          .append(" active from ")
          .append(usage.firstSeen())
          .append(" to ")
          .append(usage.lastSeen());
    }
    err.println(line);
  }

  /** The short-window warning (shown even with {@code -q}, as every warning is). */
  static void warnShort(PrintWriter err, ObservationWindow window) {
    if (window.isShort()) {
      err.println("warning: " + window.warning());
    }
  }

  static void summary(PrintWriter err, UsageReader.Result loaded, ObservedUsage usage) {
    ReadStats s = loaded.stats();
    StringBuilder line =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "rbac-synth: read %d records (%.1f MB) in %.2f s; %d events matched (%d distinct requests)",
                s.records.sum(),
                s.storedBytes.sum() / 1e6,
                loaded.elapsed().toNanos() / 1e9,
                usage.matchedEvents(),
                usage.distinctRequests()));
    if (loaded.problems() > 0) {
      line.append("; ").append(loaded.problems()).append(" unusable record(s) skipped");
    }
    err.println(line);
    usage
        .skippedEvents()
        .forEach(
            (skip, count) ->
                err.println("rbac-synth: " + count + " event(s) not used: " + skip.description()));
    if (loaded.formats().size() > 1
        || (loaded.formats().size() == 1 && !loaded.formats().containsKey("audit Event"))) {
      err.println("rbac-synth: formats detected: " + loaded.formats());
    }
  }
}
