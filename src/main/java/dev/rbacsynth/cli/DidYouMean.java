package dev.rbacsynth.cli;

import dev.rbacsynth.review.NearestSubjects;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one-line message of a command-line error, with "did you mean" for a mistyped command or
 * option: {@code unknown option --usr: did you mean --user?}, {@code unknown command "generat": did
 * you mean generate?}. Other errors keep picocli's wording.
 */
final class DidYouMean {
  private DidYouMean() {}

  static String message(ParameterException e) {
    String message = e.getMessage();
    // picocli words its argument-group errors "Error: ..."
    String plain = message.startsWith("Error: ") ? message.substring(7) : message;
    // A mistyped required option (--rbca) is first reported as the required one missing: the
    // arguments picocli could not match tell the real problem.
    List<String> unmatched =
        e instanceof UnmatchedArgumentException u
            ? u.getUnmatched()
            : e.getCommandLine().getUnmatchedArguments();
    if (unmatched.isEmpty()) {
      return plain;
    }
    CommandSpec spec = e.getCommandLine().getCommandSpec();
    String first = unmatched.get(0);
    if (first.startsWith("-") && first.length() > 1) {
      String name = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
      Set<String> options = new TreeSet<>();
      for (OptionSpec o : spec.options()) {
        if (!o.hidden()) {
          options.addAll(List.of(o.names()));
        }
      }
      if (options.contains(name)) {
        return plain;
      }
      List<String> near = nearest(name, options);
      return "unknown option "
          + name
          + (near.isEmpty()
              ? " (--help lists the options)"
              : ": did you mean " + String.join(" or ", near) + "?");
    }
    if (!spec.subcommands().isEmpty() && e instanceof UnmatchedArgumentException) {
      Set<String> commands = new TreeSet<>(spec.subcommands().keySet());
      List<String> near = nearest(first, commands);
      return "unknown command \""
          + first
          + "\": "
          + (near.isEmpty()
              ? "the commands are " + String.join(", ", commands)
              : "did you mean " + String.join(" or ", near) + "?");
    }
    return plain;
  }

  /**
   * Up to two candidates near {@code typed}: within an edit distance of a third of its length (at
   * least 2), or starting with it; nearest first.
   */
  static List<String> nearest(String typed, Set<String> candidates) {
    String t = typed.toLowerCase(Locale.ROOT);
    List<String> out = new ArrayList<>();
    for (String c : candidates) {
      String lc = c.toLowerCase(Locale.ROOT);
      int d = distance(t, lc);
      if (d <= Math.max(2, t.length() / 3) || (t.length() >= 4 && lc.startsWith(t))) {
        out.add(c);
      }
    }
    out.sort(Comparator.comparingInt((String c) -> distance(t, c.toLowerCase(Locale.ROOT))));
    return out.size() > 2 ? out.subList(0, 2) : out;
  }

  private static int distance(String a, String b) {
    return NearestSubjects.distance(a, b);
  }
}
