package dev.rbacsynth.cli;

import dev.rbacsynth.aggregate.ObservedUsage;
import dev.rbacsynth.aggregate.Usage;
import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.generate.Generator;
import dev.rbacsynth.kube.Subject;
import dev.rbacsynth.ledger.Collect;
import dev.rbacsynth.ledger.Days;
import dev.rbacsynth.ledger.Ledger;
import dev.rbacsynth.ledger.LedgerException;
import dev.rbacsynth.ledger.LedgerJson;
import dev.rbacsynth.ledger.Scope;
import dev.rbacsynth.ledger.TimeBound;
import dev.rbacsynth.pipeline.UsageReader;
import dev.rbacsynth.read.ReadStats;
import dev.rbacsynth.report.ObservationWindow;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** What the audit-reading commands share: the reader for their options and the summary line. */
final class Runs {
  private Runs() {}

  /** The reader for {@code -f}, {@code --strict} and {@code -q}, reporting on {@code err}. */
  static UsageReader reader(InputOptions input, PrintWriter err) {
    return UsageReader.of(input.files).strict(input.strict).messages(err);
  }

  /** How many refused requests the summary names one by one; the denied report lists them all. */
  static final int REFUSED_SHOWN = 10;

  /** The refused requests with why, so that a crafted request is never silently dropped. */
  static void refused(PrintWriter err, ObservedUsage usage) {
    Map<RequestAttributes, Usage> refused = usage.refusedRequests();
    int shown = 0;
    for (Map.Entry<RequestAttributes, Usage> e : refused.entrySet()) {
      if (shown++ == REFUSED_SHOWN) {
        err.println(
            "rbac-synth: refused: "
                + (refused.size() - REFUSED_SHOWN)
                + " more (--denied-report lists them all)");
        break;
      }
      err.println(
          "rbac-synth: refused: "
              + e.getKey().describe()
              + " ("
              + e.getValue().total().count()
              + "x): "
              + e.getValue().implication());
    }
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
          .append(ObservationWindow.time(usage.firstSeen()))
          .append(" to ")
          .append(ObservationWindow.time(usage.lastSeen()));
    }
    err.println(line);
  }

  /** How many generated names the summary names one by one. */
  static final int GENERATED_SHOWN = 5;

  /**
   * What the summary says an expansion did that a reviewer must know: names a controller generated,
   * granted for any name, verbs added to the observed ones, and write verbs granted cluster-wide.
   */
  static void widened(PrintWriter err, Generator.Generated generated) {
    List<String> names = generated.generatedNames();
    if (!names.isEmpty()) {
      err.println(
          "rbac-synth: generated names: "
              + names.size()
              + " request(s) on names a controller generated are granted for any name"
              + " (--keep-generated-names pins them):");
      names.stream().limit(GENERATED_SHOWN).forEach(n -> err.println("rbac-synth:   " + n));
      if (names.size() > GENERATED_SHOWN) {
        err.println(
            "rbac-synth:   and "
                + (names.size() - GENERATED_SHOWN)
                + " more (--explain lists them)");
      }
    }
    List<String> verbs = generated.addedVerbs();
    if (!verbs.isEmpty()) {
      err.println(
          "rbac-synth: added verbs: --expand-verbs granted verbs not observed: "
              + String.join("; ", verbs)
              + " (--expand-verbs=false keeps the observed verbs only)");
    }
    List<String> writes = generated.clusterWideWrites();
    if (!writes.isEmpty()) {
      err.println(
          "rbac-synth: cluster-wide writes: --expand-multi-namespace granted write verbs in every"
              + " namespace: "
              + String.join("; ", writes)
              + " (--expand-multi-namespace=false keeps them per namespace)");
    }
  }

  /** The short-window warning (shown even with {@code -q}, as every warning is). */
  static void warnShort(PrintWriter err, ObservationWindow window) {
    if (window.isShort()) {
      err.println("warning: " + window.warning());
    }
  }

  /**
   * The usage of the subjects from {@code -f} logs and {@code --usage} ledgers, windowed by {@code
   * --since}/{@code --until}: through the ledger when either is given, else straight from the logs.
   *
   * @param namespaceFlag whether the command has {@code -n}, for the hint when a ledger's scope
   *     does not hold what is asked
   */
  static UsageReader.Result load(
      InputOptions input,
      PrintWriter err,
      CommandLine cli,
      String namespace,
      boolean progress,
      List<Subject> subjects,
      boolean namespaceFlag) {
    if (input.files.isEmpty() && input.ledgers.isEmpty()) {
      throw new ParameterException(
          cli, "no input: give audit logs with -f, usage ledgers with --usage, or both");
    }
    if (input.ledgers.isEmpty() && input.since == null && input.until == null) {
      return reader(input, err).namespace(namespace).progress(progress).read(subjects);
    }
    long start = System.nanoTime();
    Instant[] window = window(input, cli);
    // users and service accounts are read from a ledger alone: other subjects' rows are skipped
    Set<String> names =
        subjects.stream().anyMatch(s -> s instanceof Subject.Group)
            ? null
            : subjects.stream().map(Subject::auditName).collect(Collectors.toSet());
    List<Ledger> ledgers =
        LedgerJson.readAll(input.ledgers, u -> names == null || names.contains(u));
    requireScopes(input.ledgers, scopes(ledgers), subjects, namespace, namespaceFlag);
    Collect.Result r = collect(input, ledgers, window, namespace, err, progress);
    return Collect.usages(r, subjects, namespace, Duration.ofNanos(System.nanoTime() - start));
  }

  private static List<Scope> scopes(List<Ledger> ledgers) {
    return ledgers.stream().map(l -> l.observation().scope()).toList();
  }

  /**
   * A ledger collected with a subject flag or {@code -n} ({@link Scope}) answers only inside its
   * scope: asked about another subject, or about every namespace, it would call grants unused that
   * were used and leave out requests that would be denied. Refused, naming the file.
   *
   * @param namespaceFlag whether the command has {@code -n} (said in the hint)
   */
  private static void requireScopes(
      List<Path> files,
      List<Scope> scopes,
      Collection<Subject> subjects,
      String namespace,
      boolean namespaceFlag) {
    for (int i = 0; i < scopes.size(); i++) {
      Scope own = scopes.get(i);
      for (Subject subject : subjects) {
        if (!own.contains(Scope.of(subject, namespace))) {
          boolean otherSubject = !own.contains(Scope.of(subject, own.namespace()));
          throw new LedgerException(
              files.get(i)
                  + ": collected with "
                  + own.flags()
                  + ", this ledger holds "
                  + own.describe()
                  + ": it cannot answer for "
                  + subject.describe()
                  + (otherSubject
                      ? ""
                      : namespace.isEmpty() ? " in every namespace" : " in namespace " + namespace)
                  + "; "
                  + (otherSubject
                      ? "collect the logs again without " + own.flags()
                      : namespaceFlag
                          ? "give -n " + own.namespace() + ", or collect the logs again without -n"
                          : "collect the logs again without -n"));
        }
      }
    }
  }

  /**
   * The usage of every user and service account of the {@code -f} logs and {@code --usage} ledgers
   * ({@code --all-subjects}), sorted by kind and name: read in one pass from the logs, or through
   * the ledger when a ledger or a window is given.
   */
  static UsageReader.Result loadAll(
      InputOptions input, PrintWriter err, CommandLine cli, String namespace, boolean progress) {
    return loadAll(input, err, cli, namespace, progress, true);
  }

  /**
   * {@link #loadAll}, with {@code !requests} the ledgers' subjects read with their days alone (the
   * usages then hold each subject's events but no requests): which subjects made requests, for
   * suggestions, without building every request row of a large ledger.
   */
  static UsageReader.Result loadAll(
      InputOptions input,
      PrintWriter err,
      CommandLine cli,
      String namespace,
      boolean progress,
      boolean requests) {
    if (input.files.isEmpty() && input.ledgers.isEmpty()) {
      throw new ParameterException(
          cli, "no input: give audit logs with -f, usage ledgers with --usage, or both");
    }
    if (input.ledgers.isEmpty() && input.since == null && input.until == null) {
      return reader(input, err).namespace(namespace).progress(progress).readAll();
    }
    long start = System.nanoTime();
    Instant[] window = window(input, cli);
    List<Ledger> ledgers =
        requests ? ledgers(input) : LedgerJson.readDaysOfAll(input.ledgers, u -> false);
    List<Scope> scopes = scopes(ledgers);
    Collect.Result r = collect(input, ledgers, window, namespace, err, progress);
    UsageReader.Result all =
        Collect.usagesOfAll(r, namespace, Duration.ofNanos(System.nanoTime() - start));
    // every subject found must be inside every ledger's scope: a ledger of one service account
    // read beside logs of every subject knows nothing of the others
    requireScopes(input.ledgers, scopes, all.usages().keySet(), namespace, true);
    return all;
  }

  /** The logs and ledgers of {@code input} through the ledger, windowed. */
  private static Collect.Result collect(
      InputOptions input,
      List<Ledger> ledgers,
      Instant[] window,
      String namespace,
      PrintWriter err,
      boolean progress) {
    // a log the ledgers already hold (by fingerprint and byte range) is read only where it
    // goes on, as collect does: the same events given twice are counted once
    return collect(
        input,
        ledgers,
        input.ledgers,
        window,
        "",
        namespace,
        null,
        !ledgers.isEmpty(),
        err,
        progress);
  }

  /**
   * The logs and ledgers of {@code input} through the ledger, windowed, saying on {@code err} when
   * the window on a ledger was rounded out to whole UTC days (unless {@code -q}) and when the
   * window holds none of the input's events.
   */
  static Collect.Result collect(
      InputOptions input,
      List<Ledger> ledgers,
      List<Path> ledgerFiles,
      Instant[] window,
      String cluster,
      String namespace,
      Subject subject,
      boolean registerSources,
      PrintWriter err,
      boolean progress) {
    Instant since = window[0];
    Instant until = window[1];
    // what the ledgers hold before the window (they are taken over by the merge)
    Instant from = null;
    Instant to = null;
    long events = 0;
    for (Ledger l : ledgers) {
      Instant f = l.observation().from();
      Instant t = l.observation().to();
      from = from == null || (f != null && f.isBefore(from)) ? f : from;
      to = to == null || (t != null && t.isAfter(to)) ? t : to;
      events += l.observation().events();
    }
    if (!ledgers.isEmpty() && !input.quiet && (rounded(since) || rounded(until))) {
      err.println(
          "rbac-synth: note: a ledger counts whole UTC days, so on the --usage ledgers the window"
              + " is widened to the days it overlaps: from "
              + (since == null ? "the start" : Days.start(Days.of(since)))
              + " to "
              + (until == null ? "the end" : Days.start(Days.of(until.minusNanos(1)) + 1)));
    }
    Collect.Result r =
        Collect.collect(
            input.files,
            ledgerFiles,
            System.in,
            ledgers,
            since,
            until,
            cluster,
            namespace,
            subject,
            registerSources,
            u -> u.strict(input.strict).messages(err).progress(progress));
    if ((since != null || until != null) && r.ledger().observation().events() == 0) {
      if (r.read() != null) {
        ReadStats s = r.read().stats();
        Instant f = s.firstEvent();
        Instant t = s.lastEvent();
        from = from == null || (f != null && f.isBefore(from)) ? f : from;
        to = to == null || (t != null && t.isAfter(to)) ? t : to;
        events += s.allEvents();
      }
      if (events > 0) {
        err.println(
            "warning: the window ("
                + (since == null ? "" : "--since " + since)
                + (since != null && until != null ? " " : "")
                + (until == null ? "" : "--until " + until)
                + ") holds none of the input's "
                + events
                + " event(s)"
                + (from == null || to == null ? "" : ", which are from " + from + " to " + to));
      }
    }
    return r;
  }

  /** True when {@code t} is not the start of a UTC day: a ledger's window is rounded out. */
  private static boolean rounded(Instant t) {
    return t != null && !Days.start(Days.of(t)).equals(t);
  }

  static List<Ledger> ledgers(InputOptions input) {
    return LedgerJson.readAll(input.ledgers, u -> true); // read, not written: built, not packed
  }

  static Instant[] window(InputOptions input, CommandLine cli) {
    Instant now = Instant.now();
    try {
      Instant since = input.since == null ? null : TimeBound.parse(input.since, now);
      Instant until = input.until == null ? null : TimeBound.parse(input.until, now);
      if (since != null && until != null && !since.isBefore(until)) {
        throw new IllegalArgumentException("--since must be before --until");
      }
      return new Instant[] {since, until};
    } catch (IllegalArgumentException e) {
      throw new ParameterException(cli, e.getMessage());
    }
  }

  /** A non-negative number with this many decimals, rounded half up, as {@code %.nf} writes it. */
  static String decimals(double value, int decimals) {
    return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
  }

  static void summary(
      PrintWriter err, InputOptions input, UsageReader.Result loaded, ObservedUsage usage) {
    ReadStats s = loaded.stats();
    // Concatenation rather than String.format: a Formatter's first use loads the locale's number
    // symbols, a noticeable share of a small run. decimals() rounds as %.1f and %.2f do.
    StringBuilder line = new StringBuilder("rbac-synth: read ");
    if (!input.files.isEmpty()) {
      line.append(s.records.sum())
          .append(" records (")
          .append(decimals(s.logBytes.sum() / 1e6, 1))
          .append(" MB)");
    }
    if (!input.ledgers.isEmpty()) {
      // a ledger holds requests, not records: its events are in the observation line
      line.append(input.files.isEmpty() ? "" : " and ")
          .append(input.ledgers.size())
          .append(" usage ledger(s)");
    }
    line.append(" in ")
        .append(decimals(loaded.elapsed().toNanos() / 1e9, 2))
        .append(" s; ")
        .append(usage.matchedEvents())
        .append(" events matched (")
        .append(usage.distinctRequests())
        .append(" distinct requests)");
    if (loaded.problems() > 0) {
      line.append("; ").append(loaded.problems()).append(" unusable record(s) skipped");
    }
    err.println(line);
    usage
        .skippedEvents()
        .forEach(
            (skip, count) ->
                err.println("rbac-synth: " + count + " event(s) not used: " + skip.description()));
    refused(err, usage);
    if (loaded.formats().size() > 1
        || (loaded.formats().size() == 1 && !loaded.formats().containsKey("audit Event"))) {
      err.println("rbac-synth: formats detected: " + loaded.formats());
    }
  }
}
