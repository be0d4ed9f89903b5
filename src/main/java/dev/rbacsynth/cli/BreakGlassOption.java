package dev.rbacsynth.cli;

import dev.rbacsynth.kube.Subject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * {@code diff --ignore-subject}: break-glass subjects, reported but never suggested for removal.
 */
public final class BreakGlassOption {

  @Option(
      names = "--ignore-subject",
      paramLabel = "SUBJECT",
      description =
          "A break-glass subject (NS:NAME for a service account, user:NAME or group:NAME): its "
              + "grants are reported, never suggested for removal. The group system:masters always "
              + "is. Repeatable.")
  List<String> subjects = new ArrayList<>();

  /**
   * @throws IllegalArgumentException for a value of none of the three forms
   */
  Set<Subject> parse() {
    Set<Subject> out = new LinkedHashSet<>();
    for (String v : subjects) {
      if (v.startsWith("user:") && v.length() > 5) {
        out.add(Subject.forUsername(v.substring(5)));
      } else if (v.startsWith("group:") && v.length() > 6) {
        out.add(new Subject.Group(v.substring(6)));
      } else {
        out.add(
            Subject.serviceAccountOf(Subject.SA_PREFIX + v)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "--ignore-subject must be NS:NAME, user:NAME or group:NAME, got \""
                                + v
                                + "\"")));
      }
    }
    return out;
  }
}
