package dev.rbacsynth.cli;

import dev.rbacsynth.ledger.Collect;
import dev.rbacsynth.ledger.Ledger;
import dev.rbacsynth.ledger.LedgerJson;
import dev.rbacsynth.ledger.Observation;
import dev.rbacsynth.ledger.Scope;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code rbac-synth collect}: audit logs and ledgers into one usage ledger. */
@Command(
    name = "collect",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Reads audit logs once, for every user and service account (or the one subject given with "
          + "--user, --serviceaccount or --group), and writes a usage ledger: the "
          + "requests each one made, per UTC day, with counts, first and last time, outcomes and sample "
          + "audit IDs (no bodies, no source IPs, no object contents). --usage adds existing ledgers, so "
          + "a ledger can be updated in place and ledgers of many clusters merged. Each file is known by "
          + "a fingerprint of its first 1024 bytes: collecting it again (also after rotation renamed or "
          + "gzipped it) reads only its new whole lines, so every event is counted once; one log under "
          + "two names (a copy, a hard link) is refused. With --until a file is read up to its first "
          + "line received at or after it, and a later collect reads on from there. A subject flag "
          + "or -n is recorded as the ledger's scope: generate and diff read it only inside it, a "
          + "later collect into it keeps it, and --usage ledgers of every subject are narrowed to "
          + "the one user or service account given. generate and diff read ledgers with --usage.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  rbac-synth collect -f /var/log/kubernetes/audit/ --output-file usage.json",
      "  # hourly: the same ledger again, reading only the logs' new lines",
      "  rbac-synth collect -f /var/log/kubernetes/audit/ --usage usage.json \\",
      "    --output-file usage.json",
      "  rbac-synth collect --usage a.json --usage b.json.gz \\",
      "    --output-file fleet.json.gz",
      "  rbac-synth collect -f audit.log --cluster prod --since 30d \\",
      "    --output-file prod.json",
      "  # up to midnight; tomorrow's run without --until reads on from there",
      "  rbac-synth collect -f /var/log/kubernetes/audit/ --usage usage.json \\",
      "    --until 2026-12-05T00:00:00Z --output-file usage.json",
      "  rbac-synth collect -f audit.log --serviceaccount shop:web -n shop \\",
      "    --output-file web.json",
      "  # one app's ledger out of the cluster's, to commit next to its manifests",
      "  rbac-synth collect --usage usage.json --serviceaccount shop:web \\",
      "    --output-file web.json",
      "  rbac-synth generate --usage usage.json --serviceaccount shop:web",
      "",
      ExitCodes.COLLECT_HELP
    })
public final class CollectCommand implements Callable<Integer> {

  @Mixin InputOptions input;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  CollectSubjectOptions subjectOptions;

  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NS",
      defaultValue = "",
      description =
          "Only requests in this namespace (cluster-scoped and non-resource requests are dropped).")
  String namespace;

  @Option(
      names = "--cluster",
      paramLabel = "NAME",
      defaultValue = "",
      description = "Label the events with the cluster they came from (ledgers of a fleet merge).")
  String cluster;

  @Option(
      names = "--output-file",
      required = true,
      paramLabel = "PATH",
      description =
          "Where to write the ledger (replaced atomically, a symbolic link's target updated; .gz "
              + "compresses). May be one of the --usage ledgers: it is read first, and when it does not "
              + "exist yet (the first run of a cron job) a new ledger is started; never one of the -f "
              + "logs (exit 2).")
  Path outputFile;

  @Spec CommandSpec spec;

  /**
   * A file of the registry is read only up to its first line received at or after {@code --until}
   * and recorded so: a later collect into this ledger reads on from that line (review8 F12: before,
   * the whole file was recorded as read and the lines after the window were lost for that ledger).
   * Said in a note. What could not be cut that way (standard input, a file read without a registry,
   * lines whose time is not readable from their bytes) is read whole and its events past {@code
   * --until} are dropped for good: said in a warning.
   */
  private void tellUntil(PrintWriter err, Collect.Result r) {
    if (input.until == null) {
      return;
    }
    if (r.cutFiles() > 0 && !input.quiet) {
      err.println(
          "note: --until "
              + input.until
              + ": "
              + r.cutFiles()
              + " file(s) read up to their first event received at or after it; a later collect"
              + " into this ledger reads on from there");
    }
    if (r.afterUntil() > 0) {
      err.println(
          "warning: --until "
              + input.until
              + ": "
              + r.afterUntil()
              + " record(s) received at or after it were read and dropped, from input that a later"
              + " collect cannot read on from (standard input, or lines whose time is not where the"
              + " apiserver writes it): to keep them, collect without --until and give --until to"
              + " generate or diff instead");
    }
  }

  /** Whether {@code a} and {@code b} name the same file (the same absolute, normalized path). */
  private static boolean sameFile(Path a, Path b) {
    return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (input.files.isEmpty() && input.ledgers.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(),
          "no input: give audit logs with -f, usage ledgers with --usage, or both");
    }
    // --usage may be the output (the in-place update collect is for); -f may not.
    InputOptions.checkStdin(spec.commandLine(), input.files);
    OutputFileOption.checkDistinct(
        spec.commandLine(), Map.of("-f", input.files), Map.of("--output-file", outputFile));
    Instant[] window = Runs.window(input, spec.commandLine());
    long start = System.nanoTime();
    // the first run of `collect --usage L --output-file L` (cron) starts a new ledger L; any
    // other missing --usage is an error (LedgerJson says which file)
    List<Path> ledgerFiles = new ArrayList<>();
    boolean starting = false;
    for (Path l : input.ledgers) {
      if (Files.notExists(l, LinkOption.NOFOLLOW_LINKS) && sameFile(l, outputFile)) {
        starting = true;
      } else {
        ledgerFiles.add(l);
      }
    }
    // one scope for the ledger written: the flags', else the one its ledgers were collected with
    Collect.Scoped scoped =
        Collect.scoped(
            Scope.of(
                subjectOptions == null ? null : subjectOptions.subject(spec.commandLine()),
                namespace),
            ledgerFiles.stream().map(Path::toString).toList(),
            LedgerJson.readAll(ledgerFiles));
    Scope scope = scoped.scope();
    if (scoped.inheritedFrom() != null && !input.files.isEmpty() && !input.quiet) {
      err.println(
          "rbac-synth: note: collecting "
              + scope.flags()
              + ", the scope of "
              + scoped.inheritedFrom()
              + " (the flags it was collected with)");
    }
    Collect.Result r =
        Runs.collect(
            input,
            scoped.ledgers(),
            notLogs(),
            window,
            cluster,
            scope.namespace(),
            scope.subject(),
            true,
            err,
            !input.quiet);
    Ledger ledger = r.ledger();
    Observation o = ledger.observation();
    // nothing read at all (not an audit log, only unusable records): an input error, as for
    // generate; a window that holds nothing is not one (it was said above)
    int none = NoMatch.noEventsAtAll(err, o.events(), o.badRecords(), input);
    if (none >= 0) {
      return none;
    }
    try {
      LedgerJson.write(ledger, outputFile);
    } catch (IOException e) {
      throw new UncheckedIOException(
          outputFile + ": cannot write the ledger: " + e.getMessage(), e);
    }
    tellUntil(err, r);
    if (!input.quiet) {
      long records = r.read() == null ? 0 : r.read().stats().records.sum();
      StringBuilder line =
          new StringBuilder("rbac-synth: read ")
              .append(records)
              .append(" new record(s) in ")
              .append(Runs.decimals((System.nanoTime() - start) / 1e9, 2))
              .append(" s; ")
              .append(starting ? "starting a new ledger " : "ledger ")
              .append(outputFile)
              .append(": ")
              .append(ledger.subjects().size())
              .append(" subject(s), ")
              .append(o.events())
              .append(" event(s)");
      if (o.from() != null && o.to() != null) {
        line.append(" from ").append(o.from()).append(" to ").append(o.to());
      }
      line.append(", ").append(ledger.pending().size()).append(" open request(s)");
      if (o.badRecords() > 0) {
        line.append(", ").append(o.badRecords()).append(" unusable record(s)");
      }
      err.println(line);
    }
    err.flush();
    return ExitCodes.OK;
  }

  /**
   * The ledgers of this run, the output included: not read as logs where a -f directory has them.
   */
  private List<Path> notLogs() {
    List<Path> out = new ArrayList<>(input.ledgers);
    out.add(outputFile);
    return out;
  }
}
