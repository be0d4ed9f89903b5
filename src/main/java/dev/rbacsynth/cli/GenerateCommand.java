package dev.rbacsynth.cli;

import dev.rbacsynth.aggregate.ObservedUsage;
import dev.rbacsynth.authorize.PolicyVerifier;
import dev.rbacsynth.authorize.Tightness;
import dev.rbacsynth.compact.GenerateOptions;
import dev.rbacsynth.generate.Generator;
import dev.rbacsynth.kube.RbacObjects;
import dev.rbacsynth.kube.Subject;
import dev.rbacsynth.pipeline.UsageReader;
import dev.rbacsynth.report.DeniedReport;
import dev.rbacsynth.report.ExplainReport;
import dev.rbacsynth.report.ObservationWindow;
import dev.rbacsynth.write.ManifestWriter;
import dev.rbacsynth.write.Naming;
import dev.rbacsynth.write.OutputTarget;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code rbac-synth generate}: least-privilege RBAC for one subject from audit logs. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Reads audit events, keeps the requests of one user, service account or group, and writes the minimal "
          + "Roles, ClusterRole and bindings that allow them (denied requests included), plus a report of the "
          + "denied requests.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  rbac-synth generate -f audit.log --user alice",
      "  rbac-synth generate -f /var/log/kubernetes/ --serviceaccount shop:web \\",
      "    -o json --output-file web-rbac.json",
      "  zcat audit.log.gz | rbac-synth generate -f - --group dev --exact \\",
      "    --denied-report denied.md",
      "  rbac-synth generate -f audit.log --user alice --explain why.md \\",
      "    --min-window 30d",
      "  rbac-synth generate --usage usage.json --serviceaccount shop:web --since 30d",
      "  rbac-synth generate -f audit.log --all-subjects -n shop --output-dir rbac/",
      "  rbac-synth generate -f audit.log --all-subjects \\",
      "    --subjects-matching '^system:serviceaccount:' \\",
      "    --output-dir rbac/ --explain rbac/why.md",
      "  # audit2rbac command lines work too:",
      "  rbac-synth -f audit.log --user bob --expand-multi-namespace=false",
      "",
      ExitCodes.GENERATE_HELP
    })
public final class GenerateCommand implements Callable<Integer> {

  /** {@code -o}: how the manifests are written. */
  enum Output {
    yaml(ManifestWriter.Format.YAML),
    json(ManifestWriter.Format.JSON);

    final ManifestWriter.Format format;

    Output(ManifestWriter.Format format) {
      this.format = format;
    }
  }

  @Mixin InputOptions input;

  /** One subject, or every user and service account of the input. */
  static final class Subjects extends SubjectOptions {
    @Option(
        names = "--all-subjects",
        description =
            "Generate for every user and service account in the input, one file each in "
                + "--output-dir, with a kustomization.yaml listing them (instead of --user, "
                + "--serviceaccount or --group).")
    boolean all;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Subjects subjectOptions;

  @Option(
      names = "--output-dir",
      paramLabel = "DIR",
      description =
          "With --all-subjects: the directory for the files (user-NAME.yaml, "
              + "serviceaccount-NS-NAME.yaml, then kustomization.yaml); created if missing.")
  Path outputDir;

  @Option(
      names = "--subjects-matching",
      paramLabel = "REGEX",
      converter = RegexConverter.class,
      description =
          "With --all-subjects: only subjects whose username (system:serviceaccount:NS:NAME for a "
              + "service account) contains a match of REGEX.")
  Pattern subjectsMatching;

  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NS",
      defaultValue = "",
      description =
          "Only requests in this namespace (cluster-scoped and non-resource requests are dropped).")
  String namespace;

  @Option(
      names = "--expand-multi-namespace",
      arity = "0..1",
      fallbackValue = "true",
      defaultValue = "true",
      paramLabel = "BOOL",
      description =
          "The same operation seen in more than one namespace is allowed in every namespace "
              + "(default: ${DEFAULT-VALUE}).")
  boolean expandMultiNamespace;

  @Option(
      names = "--expand-multi-name",
      arity = "0..1",
      fallbackValue = "true",
      defaultValue = "true",
      paramLabel = "BOOL",
      description =
          "The same operation seen on more than one name is allowed on any name (default: "
              + "${DEFAULT-VALUE}). Never applied to impersonate, bind, escalate, approve or sign.")
  boolean expandMultiName;

  @Option(
      names = "--expand-verbs",
      arity = "0..1",
      fallbackValue = "true",
      defaultValue = "true",
      paramLabel = "BOOL",
      description =
          "watch/list grant get,list,watch; update/patch grant get,patch,update (default: "
              + "${DEFAULT-VALUE}).")
  boolean expandVerbs;

  @Option(
      names = "--exact",
      description =
          "Strict least privilege: no namespace, name or verb expansion (overrides the three options "
              + "above).")
  boolean exact;

  @Option(
      names = "--keep-generated-names",
      description =
          "Keep names that a controller generates (a rollout's pods and ReplicaSets, Events, CronJob"
              + " Jobs, generateName results) pinned in resourceNames; by default they are granted"
              + " for any name, since the next rollout has other names.")
  boolean keepGeneratedNames;

  @Option(
      names = "--exclude-denied",
      description =
          "Do not grant requests that were only ever denied (they are still in the denied report).")
  boolean excludeDenied;

  @Option(
      names = "--generate-name",
      paramLabel = "TEMPLATE",
      description =
          "Name of the generated objects; $${user} (the username), $${namespace} and $${name} (a"
              + " service account's namespace and name) and $${version} are replaced, then the name"
              + " is made valid (with a warning when that changed it). Default: rbac-synth:$${user}."
              + " Example: --generate-name '$${namespace}-$${name}-observed'.")
  String generateName;

  @Option(
      names = "--generate-labels",
      split = ",",
      paramLabel = "KEY=VALUE",
      description =
          "Labels of the generated objects (replaces the defaults; $${user} is sanitised). Default: "
              + "app.kubernetes.io/managed-by=rbac-synth,rbac-synth.dev/generated=true,rbac-synth.dev/subject=$${user}")
  List<String> generateLabels;

  @Option(
      names = "--generate-annotations",
      split = ",",
      paramLabel = "KEY=VALUE",
      description =
          "Annotations of the generated objects (replaces the defaults). Default: "
              + "rbac-synth.dev/subject=$${user},rbac-synth.dev/version=$${version}")
  List<String> generateAnnotations;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "yaml",
      description =
          "yaml (multi-document, for kubectl apply -f -) or json (a v1 List). Default: ${DEFAULT-VALUE}.")
  Output output;

  @Mixin OutputFileOption outputFile;

  @Mixin MinWindowOption minWindow;

  @Option(
      names = "--denied-report",
      paramLabel = "PATH",
      description =
          "Write the denied requests to PATH; the format follows the extension: .json, .md, else text.")
  Path deniedReport;

  @Option(
      names = "--explain",
      paramLabel = "PATH",
      description =
          "Write the evidence per generated rule to PATH: the observed requests behind it (verb, "
              + "resource, namespace, name, count, first and last seen, a sample audit ID) and the "
              + "expansions that widened it. Format from the extension: .json, .md, else text.")
  Path explain;

  @Option(
      names = "--verify",
      description =
          "Prove the result with the authorizer: every selected request is allowed, every generated "
              + "rule is needed, no rule has a wildcard and, with --exact, no rule allows anything that "
              + "was not observed. Exit 1 when not.")
  boolean verify;

  @Option(
      names = "--allow-unauthenticated",
      description =
          "Allow generating for system:anonymous or the group system:unauthenticated (refused by "
              + "default: such bindings open the cluster to everyone who can reach it).")
  boolean allowUnauthenticated;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (subjectOptions.all) {
      return AllSubjects.generate(this);
    }
    if (outputDir != null || subjectsMatching != null) {
      throw new ParameterException(
          spec.commandLine(), "--output-dir and --subjects-matching need --all-subjects");
    }
    Subject subject = subjectOptions.subject(spec.commandLine());
    if (!allowUnauthenticated
        && (subject.auditName().equals("system:anonymous")
            || (subject instanceof Subject.Group
                && subject.auditName().equals("system:unauthenticated")))) {
      throw new ParameterException(
          spec.commandLine(),
          "refusing to generate RBAC for "
              + subject.describe()
              + ": it would grant anyone who can reach the apiserver; add "
              + "--allow-unauthenticated if that is really wanted");
    }
    InputOptions.checkStdin(spec.commandLine(), input.files);
    OutputFileOption.checkDistinct(
        spec.commandLine(), Map.of("-f", input.files, "--usage", paths(input.ledgers)), outputs());
    Naming.Resolved naming = naming(subject); // a bad label or annotation fails before reading
    PrintWriter err = spec.commandLine().getErr();
    UsageReader.Result loaded =
        Runs.load(input, err, spec.commandLine(), namespace, !input.quiet, List.of(subject), true);
    ObservedUsage usage = loaded.usage(subject);
    if (usage.matchedEvents() == 0) {
      // no objects are written, so the name's warnings would only hide the "did you mean"
      return NoMatch.subject(err, loaded, input, subject, namespace);
    }
    naming.warnings().forEach(w -> err.println("warning: " + w));
    for (String group : usage.privilegedGroups()) {
      err.println(
          "warning: "
              + subject.describe()
              + " was seen in group "
              + group
              + ": "
              + (group.equals("system:masters")
                  ? "those requests bypass RBAC"
                  : "nodes are authorized by the Node " + "authorizer")
              + ", so the log does not show what RBAC would allow");
    }
    GenerateOptions options = options();
    Generator generator = new Generator(options);
    Generator.Generated generated = generator.generate(subject, usage, naming);
    RbacObjects objects = generated.objects();
    ObservationWindow window = new ObservationWindow(loaded.observation(), minWindow.minimum);
    DeniedReport denied = DeniedReport.of(subject.describe(), usage);
    // All files or none: the files are staged and renamed together, then stdout is written.
    String manifests = ManifestWriter.render(objects, output.format);
    List<OutputTarget.Output> files = new ArrayList<>();
    if (outputFile.path != null) {
      files.add(OutputTarget.Output.of(outputFile.path, manifests));
    }
    if (deniedReport != null) {
      files.add(
          OutputTarget.Output.of(
              deniedReport, denied.render(deniedReport.getFileName().toString())));
    }
    if (explain != null) {
      files.add(
          OutputTarget.Output.of(
              explain,
              ExplainReport.render(
                  List.of(new ExplainReport.Explained(subject, generated, usage.requests())),
                  window,
                  explain.getFileName().toString())));
    }
    OutputTarget.writeAll(files);
    if (outputFile.path == null) {
      OutputTarget.toStdout(manifests, spec.commandLine().getOut());
    }
    int exit = ExitCodes.OK;
    if (verify) {
      exit = verify(generated, err);
    }
    if (!input.quiet) {
      Runs.summary(err, input, loaded, usage);
      Runs.observation(err, window, subject, usage);
      err.println(
          "rbac-synth: generated "
              + objects.roles().size()
              + " Role(s), "
              + objects.clusterRoles().size()
              + " ClusterRole(s) with "
              + generated.policy().ruleCount()
              + " rule(s) for "
              + subject.describe());
      err.println("rbac-synth: " + denied.summary());
      Runs.widened(err, generated);
    }
    if (generated.policy().ruleCount() == 0) {
      // stdout holds an empty List: say why, also with -q
      err.println(
          "rbac-synth: no rule generated for "
              + subject.describe()
              + ": "
              + generator.whyNoRule(subject, usage)
              + "; the output is an empty List");
    }
    Runs.warnShort(err, window);
    err.flush();
    return exit;
  }

  private int verify(Generator.Generated generated, PrintWriter err) {
    PolicyVerifier.Result result = generated.verify();
    // Tightness: under --exact nothing beyond the observed checks; with expansions, no wildcard.
    List<String> wider =
        exact
            ? Tightness.wider(generated.objects(), generated.wanted())
            : Tightness.wildcards(generated.objects());
    if (result.ok() && wider.isEmpty()) {
      err.println(
          "rbac-synth: verified: all "
              + generated.wanted().size()
              + " selected requests are allowed, each of the generated rules is needed and "
              + (exact
                  ? "no rule allows anything that was not observed"
                  : "no rule has a wildcard"));
      return ExitCodes.OK;
    }
    result.notAllowed().forEach(r -> err.println("verify: not allowed: " + r.describe()));
    result.unneededRules().forEach(r -> err.println("verify: not needed: " + r));
    wider.forEach(r -> err.println("verify: wider than observed: " + r));
    return ExitCodes.FINDINGS;
  }

  GenerateOptions options() {
    return exact
        ? new GenerateOptions(false, false, false, !excludeDenied, false)
        : new GenerateOptions(
            expandMultiNamespace,
            expandMultiName,
            expandVerbs,
            !excludeDenied,
            !keepGeneratedNames);
  }

  private Map<String, Path> outputs() {
    Map<String, Path> outputs = new LinkedHashMap<>();
    outputs.put("--output-file", outputFile.path);
    outputs.put("--denied-report", deniedReport);
    outputs.put("--explain", explain);
    return outputs;
  }

  static List<String> paths(List<Path> paths) {
    return paths.stream().map(Path::toString).toList();
  }

  Naming.Resolved naming(Subject subject) {
    try {
      return new Naming(
              generateName == null ? Naming.DEFAULT_NAME : generateName,
              generateLabels == null ? Naming.DEFAULT_LABELS : generateLabels,
              generateAnnotations == null ? Naming.DEFAULT_ANNOTATIONS : generateAnnotations)
          .resolve(subject, Version.get());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
