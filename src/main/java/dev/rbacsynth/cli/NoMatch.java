package dev.rbacsynth.cli;

import dev.rbacsynth.aggregate.ObservedUsage;
import dev.rbacsynth.kube.Subject;
import dev.rbacsynth.pipeline.UsageReader;
import dev.rbacsynth.review.NearestSubjects;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * What {@code generate} and {@code diff} say when the subject made no request: an input with no
 * audit event at all is an input error (exit 2: the wrong file, or not an audit log), an input with
 * events but none of the subject's is exit 3, with the input's subjects nearest to the one asked
 * for ("did you mean --serviceaccount shop:web?").
 */
final class NoMatch {
  private NoMatch() {}

  /**
   * Logs up to this size are read a second time, for every subject, to find the names near a
   * mistyped one; larger inputs get the {@code subjects} command to run instead.
   */
  static final long SUGGEST_MAX_BYTES = 1L << 30;

  /**
   * Exit 2 (with the error printed) when the input held no audit event at all; otherwise -1. A
   * window (--since/--until) with no event in it is not an input error.
   */
  static int noEventsAtAll(PrintWriter err, UsageReader.Result loaded, InputOptions input) {
    return noEventsAtAll(err, loaded.observation().events(), loaded.problems(), input);
  }

  /** The same, from the number of events and of unusable records read ({@code collect}). */
  static int noEventsAtAll(PrintWriter err, long events, long problems, InputOptions input) {
    if (events > 0 || input.since != null || input.until != null) {
      return -1;
    }
    List<String> sources = new ArrayList<>(input.files);
    input.ledgers.forEach(l -> sources.add(l.toString()));
    StringBuilder s =
        new StringBuilder("error: no audit event in the input (")
            .append(String.join(", ", sources))
            .append(')');
    if (problems > 0) {
      s.append(": ")
          .append(problems)
          .append(" unusable record(s) or empty file(s), reported above, and nothing else");
    }
    s.append(
        "; expected audit.k8s.io Events: the apiserver's --audit-log-path file (one Event a line),"
            + " webhook EventList batches, or a managed cluster's export");
    err.println(s);
    return ExitCodes.USAGE_OR_INPUT;
  }

  /**
   * The exit code when {@code subject} made no request: 2 when the input has no event at all, else
   * 3 with "did you mean" from the input's own subjects.
   */
  static int subject(
      PrintWriter err,
      UsageReader.Result loaded,
      InputOptions input,
      Subject subject,
      String namespace) {
    int none = noEventsAtAll(err, loaded, input);
    if (none >= 0) {
      return none;
    }
    StringBuilder s =
        new StringBuilder("No audit events matched ")
            .append(subject.describe())
            .append(namespace.isEmpty() ? "" : " in namespace " + namespace);
    List<Subject> near = near(input, subject, namespace);
    if (near == null) {
      s.append(" (rbac-synth subjects ")
          .append(input.ledgers.isEmpty() ? "-f" : "--usage")
          .append(" ... lists the input's subjects)");
    } else if (!near.isEmpty()) {
      s.append("; did you mean ")
          .append(String.join(" or ", near.stream().map(NoMatch::flag).toList()))
          .append('?');
    }
    err.println(s);
    return ExitCodes.NO_MATCH;
  }

  /** The flag that selects {@code s}: {@code --serviceaccount shop:web}, {@code --user alice}. */
  static String flag(Subject s) {
    if (s instanceof Subject.ServiceAccount sa) {
      return "--serviceaccount " + sa.namespace() + ":" + sa.name();
    }
    return (s instanceof Subject.Group ? "--group " : "--user ") + s.auditName();
  }

  /**
   * The input's subjects nearest to {@code wanted}, read again for every subject (logs and ledgers,
   * in the same window); null when the input cannot be read twice (standard input) or its logs are
   * too large to read again.
   */
  private static List<Subject> near(InputOptions input, Subject wanted, String namespace) {
    if (input.files.contains("-")) {
      return null;
    }
    try {
      long bytes = 0;
      for (String f : input.files) {
        try (Stream<Path> walk = Files.walk(Path.of(f))) {
          bytes +=
              walk.filter(Files::isRegularFile)
                  .mapToLong(
                      p -> {
                        try {
                          return Files.size(p);
                        } catch (IOException e) {
                          throw new UncheckedIOException(e);
                        }
                      })
                  .sum();
        }
      }
      if (bytes > SUGGEST_MAX_BYTES) {
        return null;
      }
      UsageReader.Result all =
          Runs.loadAll(
              input,
              new PrintWriter(Writer.nullWriter()),
              new CommandLine(input),
              namespace,
              false,
              false);
      List<Subject> seen = new ArrayList<>();
      for (Map.Entry<Subject, ObservedUsage> e : all.usages().entrySet()) {
        if (e.getValue().matchedEvents() > 0) {
          seen.add(e.getKey());
        }
      }
      return NearestSubjects.ofAnyKind(wanted, seen, 3);
    } catch (IOException | RuntimeException e) {
      // suggestions are a courtesy: reading again failing must not change the answer
      return null;
    }
  }
}
