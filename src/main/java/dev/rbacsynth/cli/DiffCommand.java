package dev.rbacsynth.cli;

import dev.rbacsynth.aggregate.ObservedUsage;
import dev.rbacsynth.compact.GenerateOptions;
import dev.rbacsynth.kube.Subject;
import dev.rbacsynth.pipeline.UsageReader;
import dev.rbacsynth.report.BaselineWriter;
import dev.rbacsynth.report.DiffJsonWriter;
import dev.rbacsynth.report.DiffMarkdownWriter;
import dev.rbacsynth.report.DiffSummary;
import dev.rbacsynth.report.DiffTextWriter;
import dev.rbacsynth.report.FindingLocations;
import dev.rbacsynth.report.GithubAnnotations;
import dev.rbacsynth.report.ObservationWindow;
import dev.rbacsynth.report.SarifWriter;
import dev.rbacsynth.report.StreamedReport;
import dev.rbacsynth.review.Baseline;
import dev.rbacsynth.review.DiffReviewer;
import dev.rbacsynth.review.ExistingRbac;
import dev.rbacsynth.review.Finding;
import dev.rbacsynth.review.Gate;
import dev.rbacsynth.review.ReviewFinding;
import dev.rbacsynth.review.SubjectReview;
import dev.rbacsynth.write.Naming;
import dev.rbacsynth.write.OutputTarget;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code rbac-synth diff}: existing RBAC against what a subject really did. */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Compares existing RBAC with what a subject did according to the audit logs.",
      "",
      "Reports, per subject:",
      "  missing    observed requests (and the checks they imply) the existing",
      "             RBAC does not allow, with count, first and last time, and",
      "             whether the log shows them denied",
      "  unused     grants of the bindings that reach the subject (all four",
      "             ServiceAccount subject forms count) that no request used, per",
      "             rule, verb, resource and name; grants a RoleBinding cannot",
      "             give (cluster-scoped resources, URLs) are reported as inert",
      "  risky      dangerous grants, used or not: wildcards, cluster-wide secret",
      "             reads, escalate, bind, impersonate, pods/exec, pods/attach,",
      "             nodes/proxy, workloads in kube-system, token creation, CSR",
      "             approval",
      "  suggested  the RBAC `rbac-synth generate` would write, and what it would",
      "             remove and add",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  rbac-synth diff --rbac existing/ -f audit.log --serviceaccount shop:web",
      "  rbac-synth diff --rbac roles.yaml --rbac bindings.yaml -f audit.log \\",
      "    --user alice -o markdown",
      "  rbac-synth diff --rbac cluster-rbac/ -f /var/log/kubernetes/ \\",
      "    --all-subjects -o json --fail-on missing,risky",
      "  kubectl get roles,rolebindings,clusterroles,clusterrolebindings -A \\",
      "    -o yaml | rbac-synth diff --rbac - -f audit.log --group dev",
      "  rbac-synth diff --usage usage.json --rbac manifests/ \\",
      "    --serviceaccount shop:web --since 30d",
      "  # CI: accept today's findings once, then fail only on new ones",
      "  rbac-synth diff --rbac rendered.yaml -f audit.log --all-subjects \\",
      "    --write-baseline .rbac-baseline.json",
      "  rbac-synth diff --rbac rendered.yaml -f audit.log --all-subjects \\",
      "    --baseline .rbac-baseline.json --fail-on missing,risky \\",
      "    -o github --report sarif=rbac.sarif --report markdown=rbac.md",
      "",
      ExitCodes.DIFF_HELP
    })
public final class DiffCommand implements Callable<Integer> {

  /** One subject, or every subject bound in the RBAC. */
  static final class Subjects extends DiffSubjectOptions {
    @Option(
        names = "--all-subjects",
        description =
            "Review every User, ServiceAccount and Group bound in the given RBAC, one section per "
                + "subject, sorted (instead of --user, --serviceaccount or --group).")
    boolean all;
  }

  @Mixin InputOptions input;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Subjects subjects;

  @Mixin RbacOptions rbac;

  @Mixin ReportOptions reports;
  @Mixin OutputFileOption outputFile;
  @Mixin GateOptions gateOptions;
  @Mixin BreakGlassOption breakGlass;

  @Mixin MinWindowOption minWindow;

  @Option(
      names = "--exact",
      description =
          "Suggest strictly least privilege, as generate --exact: no namespace, name or verb expansion.")
  boolean exact;

  @Option(
      names = "--keep-generated-names",
      description =
          "Suggest, as generate --keep-generated-names, rules that keep names a controller generated"
              + " (a rollout's pods, Events) pinned instead of granting any name.")
  boolean keepGeneratedNames;

  @Option(
      names = "--stdin-filename",
      paramLabel = "PATH",
      description =
          "The file to name in SARIF and -o github for findings in the manifests read from"
              + " --rbac - (with the line of the stream): e.g. the rendered manifest a pipeline"
              + " keeps. Without it those findings have no file, and GitHub code scanning refuses"
              + " a SARIF result without a location.")
  String stdinFilename;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Map<Path, ReportOptions.Format> reportFiles;
    Baseline baseline;
    Set<Subject> ignored;
    try {
      ignored = breakGlass.parse();
      reportFiles = reports.reportFiles();
      baseline = gateOptions.loadBaseline();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    Gate gate = gateOptions.gate(baseline);
    boolean allSubjects = subjects.all;
    Subject single = allSubjects ? null : subjects.subject(spec.commandLine());
    PrintWriter err = spec.commandLine().getErr();
    if (rbac.paths.contains("-") && input.files.contains("-")) {
      throw new ParameterException(
          spec.commandLine(), "--rbac - and -f - cannot both read standard input");
    }
    InputOptions.checkStdin(
        spec.commandLine(), Stream.concat(input.files.stream(), rbac.paths.stream()).toList());
    OutputFileOption.checkDistinct(
        spec.commandLine(),
        Map.of(
            "-f", input.files,
            "--usage", GenerateCommand.paths(input.ledgers),
            "--rbac", rbac.paths),
        outputs(reportFiles));
    ExistingRbac existing = rbac.load();
    existing.warnings().forEach(w -> err.println("warning: " + w));
    if (stdinFilename != null && !rbac.paths.contains("-")) {
      throw new ParameterException(
          spec.commandLine(),
          "--stdin-filename names the manifests of --rbac -, which is not given");
    }
    if (rbac.paths.contains("-")
        && stdinFilename == null
        && (reports.output == ReportOptions.Format.sarif
            || reportFiles.containsValue(ReportOptions.Format.sarif))) {
      err.println(
          "warning: --rbac -: the SARIF results for manifests read from standard input have no"
              + " location, and GitHub code scanning refuses such a file (\"expected at least one"
              + " location\"): name a file with --stdin-filename PATH");
    }
    List<Subject> subjects = allSubjects ? existing.boundSubjects() : List.of(single);
    if (subjects.isEmpty()) {
      err.println("No User, ServiceAccount or Group is bound in the given RBAC: nothing to review");
      return ExitCodes.NO_MATCH;
    }
    UsageReader.Result loaded =
        Runs.load(input, err, spec.commandLine(), "", false, subjects, false);
    int noEvents = NoMatch.noEventsAtAll(err, loaded, input);
    if (noEvents >= 0) {
      return noEvents;
    }
    DiffReviewer reviewer =
        new DiffReviewer(
            existing,
            exact
                ? GenerateOptions.EXACT
                : keepGeneratedNames
                    ? new GenerateOptions(true, true, true, true, false)
                    : GenerateOptions.DEFAULTS,
            ignored);
    ObservationWindow window = new ObservationWindow(loaded.observation(), minWindow.minimum);
    if (allSubjects
        && (reports.output == ReportOptions.Format.json
            || reports.output == ReportOptions.Format.text)
        && reportFiles.isEmpty()
        && gateOptions.writeBaseline == null) {
      return streamed(reviewer, loaded, window, gate, err, subjects.size());
    }
    List<SubjectReview> reviews = new ArrayList<>();
    loaded
        .usages()
        .forEach((subject, usage) -> reviews.add(reviewer.review(subject, usage, naming(subject))));
    FindingLocations locations =
        new FindingLocations(existing.positions(), existing.manifests(), stdinFilename);
    OutputTarget.write(
        render(
            reports.output, reviews, allSubjects, locations, gate, window, reports.markdownLimit),
        outputFile.path,
        spec.commandLine().getOut());
    for (Map.Entry<Path, ReportOptions.Format> file : reportFiles.entrySet()) {
      OutputTarget.write(
          render(
              file.getValue(),
              reviews,
              allSubjects,
              locations,
              gate,
              window,
              reports.markdownLimit),
          file.getKey(),
          null);
    }
    List<ReviewFinding> findings = ReviewFinding.of(reviews);
    if (gateOptions.writeBaseline != null) {
      OutputTarget.write(BaselineWriter.render(reviews, baseline), gateOptions.writeBaseline, null);
      if (!input.quiet) {
        err.println(
            "rbac-synth: wrote "
                + findings.stream().map(ReviewFinding::fingerprint).distinct().count()
                + " finding(s) to the baseline "
                + gateOptions.writeBaseline);
      }
    }
    if (!input.quiet) {
      if (allSubjects) {
        err.println("rbac-synth: " + DiffSummary.line(reviews));
        Runs.observation(err, window, null, null);
      } else {
        Runs.summary(err, input, loaded, loaded.usage(subjects.get(0)));
        Runs.observation(err, window, subjects.get(0), loaded.usage(subjects.get(0)));
      }
      Runs.warnShort(err, window);
    }
    err.flush();
    if (gateOptions.baseline != null && !input.quiet) {
      baselineSummary(err, findings, gate);
    }
    if (reviews.stream().allMatch(r -> r.events() == 0)) {
      // The report is written all the same ("not observed", and the risky grants, which need no
      // event), so that a CI job's SARIF and Markdown exist; findings the gate fails on come first.
      int noMatch =
          allSubjects
              ? noneMatched(err, subjects.size())
              : NoMatch.subject(err, loaded, input, subjects.get(0), "");
      return gateOptions.writeBaseline == null && gate.fails(findings)
          ? ExitCodes.FINDINGS
          : noMatch;
    }
    if (gateOptions.writeBaseline != null) {
      return ExitCodes.OK;
    }
    return gate.fails(findings) ? ExitCodes.FINDINGS : ExitCodes.OK;
  }

  private static int noneMatched(PrintWriter err, int subjects) {
    err.println("No audit events matched any of the " + subjects + " subject(s)");
    return ExitCodes.NO_MATCH;
  }

  /**
   * Every file this run writes, by option: --output-file, each --report and --write-baseline, so
   * that no two of them (nor an input) are the same file.
   */
  private List<Map.Entry<String, Path>> outputs(Map<Path, ReportOptions.Format> reportFiles) {
    List<Map.Entry<String, Path>> out = new ArrayList<>();
    out.add(new AbstractMap.SimpleEntry<>("--output-file", outputFile.path));
    reportFiles.forEach(
        (path, format) -> out.add(new AbstractMap.SimpleEntry<>("--report " + format + "=", path)));
    out.add(new AbstractMap.SimpleEntry<>("--write-baseline", gateOptions.writeBaseline));
    return out;
  }

  /**
   * {@code --all-subjects -o json} and {@code -o text}: each subject's review is written as soon as
   * it is made and then dropped (100 000 subjects' reviews and their JSON do not fit in the heap);
   * what the summary lines and the gate need is counted on the way. The output is byte for byte the
   * one {@link DiffJsonWriter#render} or {@link DiffTextWriter#render} gives.
   */
  private int streamed(
      DiffReviewer reviewer,
      UsageReader.Result loaded,
      ObservationWindow window,
      Gate gate,
      PrintWriter err,
      int subjectCount) {
    long[] verdicts = new long[Gate.Verdict.values().length];
    boolean[] fails = new boolean[1];
    StreamedReport[] report = new StreamedReport[1];
    OutputTarget.Content content =
        out -> {
          Writer w =
              new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
          writeStreamed(w, reviewer, loaded, window, gate, verdicts, fails, report);
        };
    if (outputFile.path != null) {
      OutputTarget.writeStreamed(outputFile.path, content);
    } else {
      PrintWriter stdout = spec.commandLine().getOut();
      try {
        writeStreamed(stdout, reviewer, loaded, window, gate, verdicts, fails, report);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (stdout.checkError()) {
        String message = "cannot write to standard output (full disk or closed pipe?)";
        throw new UncheckedIOException(message, new IOException(message));
      }
    }
    StreamedReport r = report[0];
    if (!input.quiet) {
      err.println(
          "rbac-synth: "
              + DiffSummary.line(
                  r.subjects(),
                  r.seen(),
                  r.total(Finding.MISSING),
                  r.total(Finding.UNUSED),
                  r.total(Finding.RISKY)));
      Runs.observation(err, window, null, null);
      Runs.warnShort(err, window);
    }
    err.flush();
    if (gateOptions.baseline != null && !input.quiet) {
      baselineSummary(err, verdicts);
    }
    if (r.seen() == 0) {
      int noMatch = noneMatched(err, subjectCount);
      return fails[0] ? ExitCodes.FINDINGS : noMatch;
    }
    return fails[0] ? ExitCodes.FINDINGS : ExitCodes.OK;
  }

  private void writeStreamed(
      Writer w,
      DiffReviewer reviewer,
      UsageReader.Result loaded,
      ObservationWindow window,
      Gate gate,
      long[] verdicts,
      boolean[] fails,
      StreamedReport[] report)
      throws IOException {
    StreamedReport json =
        reports.output == ReportOptions.Format.json
            ? new DiffJsonWriter.Streamed(w, window, gate)
            : new DiffTextWriter.Streamed(w, window);
    for (Map.Entry<Subject, ObservedUsage> e : loaded.usages().entrySet()) {
      SubjectReview review = reviewer.review(e.getKey(), e.getValue(), naming(e.getKey()));
      json.add(review);
      List<ReviewFinding> findings = ReviewFinding.of(review);
      fails[0] |= gate.fails(findings);
      for (ReviewFinding f : findings) {
        verdicts[gate.verdict(f).ordinal()]++;
      }
    }
    json.finish();
    report[0] = json;
  }

  private static String render(
      ReportOptions.Format format,
      List<SubjectReview> reviews,
      boolean allSubjects,
      FindingLocations locations,
      Gate gate,
      ObservationWindow window,
      int markdownLimit) {
    return switch (format) {
      case json -> DiffJsonWriter.render(reviews, allSubjects, window, gate);
      case markdown -> DiffMarkdownWriter.render(reviews, window, markdownLimit);
      case sarif -> SarifWriter.render(reviews, locations, gate, window, Version.get());
      case github -> GithubAnnotations.render(reviews, locations, gate, window);
      case text -> DiffTextWriter.render(reviews, window);
    };
  }

  /** {@code baseline: 3 gated finding(s) accepted, 1 whose waiver expired, 2 not in it}. */
  private static void baselineSummary(PrintWriter err, List<ReviewFinding> findings, Gate gate) {
    long[] verdicts = new long[Gate.Verdict.values().length];
    for (ReviewFinding f : findings) {
      verdicts[gate.verdict(f).ordinal()]++;
    }
    baselineSummary(err, verdicts);
  }

  /** The same from the number of findings of each {@link Gate.Verdict}. */
  private static void baselineSummary(PrintWriter err, long[] verdicts) {
    long accepted = verdicts[Gate.Verdict.BASELINED.ordinal()];
    long expired = verdicts[Gate.Verdict.EXPIRED.ordinal()];
    long failing = verdicts[Gate.Verdict.FAILS.ordinal()];
    err.println(
        "rbac-synth: baseline: "
            + accepted
            + " gated finding(s) accepted, "
            + expired
            + " whose waiver expired (failing again), "
            + failing
            + " not in the baseline");
  }

  private Naming.Resolved naming(Subject subject) {
    return new Naming(Naming.DEFAULT_NAME, Naming.DEFAULT_LABELS, Naming.DEFAULT_ANNOTATIONS)
        .resolve(subject.auditName(), Version.get());
  }
}
