package dev.rbacsynth.cli;

import dev.rbacsynth.aggregate.ObservedUsage;
import dev.rbacsynth.kube.Subject;
import dev.rbacsynth.pipeline.UsageReader;
import dev.rbacsynth.report.ObservationWindow;
import dev.rbacsynth.report.TextTable;
import dev.rbacsynth.write.OutputTarget;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** {@code rbac-synth subjects}: the users and service accounts in the input, to find the names. */
@Command(
    name = "subjects",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Lists the users and service accounts that made requests in the audit logs (as requester or"
          + " impersonator), with their events, distinct requests, RBAC denials and first and last"
          + " request, read in one pass. The names are what --user and --serviceaccount take.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  rbac-synth subjects -f audit.log",
      "  rbac-synth subjects -f /var/log/kubernetes/ -n shop -o json",
      "  rbac-synth subjects --usage usage.json.gz --since 30d",
      "  rbac-synth subjects -f audit.log \\",
      "    --subjects-matching '^system:serviceaccount:kube-system:'",
      "",
      ExitCodes.SUBJECTS_HELP
    })
public final class SubjectsCommand implements Callable<Integer> {

  /** {@code -o}. */
  enum Output {
    text,
    json
  }

  @Mixin InputOptions input;

  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NS",
      defaultValue = "",
      description = "Only requests in this namespace (subjects with none there are not listed).")
  String namespace;

  @Option(
      names = "--subjects-matching",
      paramLabel = "REGEX",
      converter = RegexConverter.class,
      description =
          "Only subjects whose username (system:serviceaccount:NS:NAME for a service account) "
              + "contains a match of REGEX.")
  Pattern matching;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text (a table) or json. Default: ${DEFAULT-VALUE}.")
  Output output;

  @Mixin OutputFileOption outputFile;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    // from the logs, the ledgers (--usage) or both, in the window (--since/--until), as generate
    // --all-subjects reads them
    UsageReader.Result loaded =
        Runs.loadAll(input, err, spec.commandLine(), namespace, !input.quiet);
    Map<Subject, ObservedUsage> shown = new LinkedHashMap<>();
    loaded
        .usages()
        .forEach(
            (s, u) -> {
              if (u.matchedEvents() > 0
                  && (matching == null || matching.matcher(s.auditName()).find())) {
                shown.put(s, u);
              }
            });
    ObservationWindow window = new ObservationWindow(loaded.observation(), Duration.ZERO);
    String rendered = output == Output.json ? json(shown, window) : text(shown, window);
    OutputTarget.write(rendered, outputFile.path, spec.commandLine().getOut());
    err.flush();
    if (shown.isEmpty()) {
      int noEvents = NoMatch.noEventsAtAll(err, loaded, input);
      return noEvents >= 0 ? noEvents : ExitCodes.NO_MATCH;
    }
    return ExitCodes.OK;
  }

  private static String time(Instant t) {
    return t == null ? "-" : t.toString();
  }

  static String text(Map<Subject, ObservedUsage> shown, ObservationWindow window) {
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "KIND", "NAMESPACE", "NAME", "EVENTS", "REQUESTS", "DENIED", "FIRST SEEN", "LAST SEEN"
        });
    shown.forEach(
        (s, u) ->
            rows.add(
                new String[] {
                  s.kind(),
                  s instanceof Subject.ServiceAccount sa ? sa.namespace() : "",
                  s instanceof Subject.ServiceAccount sa ? sa.name() : s.auditName(),
                  Long.toString(u.matchedEvents()),
                  Integer.toString(u.distinctRequests()),
                  Long.toString(u.deniedChecks()),
                  time(u.firstSeen()),
                  time(u.lastSeen())
                }));
    return "OBSERVED: " + window.header() + "\n\n" + TextTable.render(rows);
  }

  static String json(Map<Subject, ObservedUsage> shown, ObservationWindow window) {
    Map<String, Object> root = new LinkedHashMap<>();
    Map<String, Object> o = new LinkedHashMap<>(window.json());
    o.remove("minWindowSeconds");
    o.remove("warning");
    root.put("observation", o);
    List<Object> subjects = new ArrayList<>();
    shown.forEach(
        (s, u) -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("kind", s.kind());
          m.put("namespace", s instanceof Subject.ServiceAccount sa ? sa.namespace() : "");
          m.put("name", s instanceof Subject.ServiceAccount sa ? sa.name() : s.auditName());
          m.put("username", s.auditName());
          m.put("events", u.matchedEvents());
          m.put("distinctRequests", u.distinctRequests());
          m.put("deniedChecks", u.deniedChecks());
          m.put("firstSeen", u.firstSeen() == null ? null : u.firstSeen().toString());
          m.put("lastSeen", u.lastSeen() == null ? null : u.lastSeen().toString());
          subjects.add(m);
        });
    root.put("subjects", subjects);
    return JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build()
            .writeValueAsString(root)
        + "\n";
  }
}
