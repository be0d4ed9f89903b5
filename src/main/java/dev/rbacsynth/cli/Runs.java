package dev.rbacsynth.cli;

import dev.rbacsynth.aggregate.ObservedUsage;
import dev.rbacsynth.pipeline.UsageReader;
import dev.rbacsynth.read.ReadStats;
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
   * The usage of the subjects from {@code -f} logs and {@code --usage} ledgers, windowed by {@code
   * --since}/{@code --until}: through the ledger when either is given, else straight from the logs.
   */
  static UsageReader.Result load(
      InputOptions input,
      PrintWriter err,
      picocli.CommandLine cli,
      String namespace,
      boolean progress,
      java.util.List<dev.rbacsynth.kube.Subject> subjects) {
    if (input.files.isEmpty() && input.ledgers.isEmpty()) {
      throw new picocli.CommandLine.ParameterException(
          cli, "no input: give audit logs with -f, usage ledgers with --usage, or both");
    }
    if (input.ledgers.isEmpty() && input.since == null && input.until == null) {
      return reader(input, err).namespace(namespace).progress(progress).read(subjects);
    }
    long start = System.nanoTime();
    java.time.Instant[] window = window(input, cli);
    dev.rbacsynth.ledger.Collect.Result r =
        dev.rbacsynth.ledger.Collect.collect(
            input.files,
            System.in,
            ledgers(input),
            window[0],
            window[1],
            "",
            namespace,
            false,
            u -> u.strict(input.strict).messages(err).progress(progress));
    return dev.rbacsynth.ledger.Collect.usages(
        r, subjects, namespace, java.time.Duration.ofNanos(System.nanoTime() - start));
  }

  static java.util.List<dev.rbacsynth.ledger.Ledger> ledgers(InputOptions input) {
    return input.ledgers.stream().map(dev.rbacsynth.ledger.LedgerJson::read).toList();
  }

  static java.time.Instant[] window(InputOptions input, picocli.CommandLine cli) {
    java.time.Instant now = java.time.Instant.now();
    try {
      java.time.Instant since =
          input.since == null ? null : dev.rbacsynth.ledger.TimeBound.parse(input.since, now);
      java.time.Instant until =
          input.until == null ? null : dev.rbacsynth.ledger.TimeBound.parse(input.until, now);
      if (since != null && until != null && !since.isBefore(until)) {
        throw new IllegalArgumentException("--since must be before --until");
      }
      return new java.time.Instant[] {since, until};
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(cli, e.getMessage());
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
