package dev.rbacsynth;

import dev.rbacsynth.cli.RbacSynth;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.yaml.snakeyaml.Yaml;

/** Runs the real command line in-process and captures what a user would see. */
public final class Cli {

  /** Exit code, stdout and stderr of one run. */
  public record Result(int exit, String out, String err) {

    /** The YAML documents on stdout, parsed with a YAML 1.1 parser as kubectl's would be. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> documents() {
      return StreamSupport.stream(new Yaml().loadAll(out).spliterator(), false)
          .map(d -> (Map<String, Object>) d)
          .toList();
    }
  }

  private Cli() {}

  public static Result run(String... args) {
    return runWithStdin(new byte[0], args);
  }

  /** {@code generate -f LOG --user USER}, then the further arguments. */
  public static Result generate(String log, String user, String... more) {
    return run(args(List.of("generate", "-f", log, "--user", user), List.of(more)));
  }

  /**
   * {@code diff -f LOG -q -o FORMAT --serviceaccount NAMESPACE:NAME}, a {@code --rbac} for each of
   * the manifests, then the further arguments.
   */
  public static Result diff(
      String log, String serviceAccount, String format, List<String> rbac, String... more) {
    List<String> head =
        new ArrayList<>(
            List.of("diff", "-f", log, "-q", "-o", format, "--serviceaccount", serviceAccount));
    for (String manifest : rbac) {
      head.add("--rbac");
      head.add(manifest);
    }
    return run(args(head, List.of(more)));
  }

  private static String[] args(List<String> head, List<String> tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(tail);
    return all.toArray(String[]::new);
  }

  public static synchronized Result runWithStdin(byte[] stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    InputStream previous = System.in;
    System.setIn(new ByteArrayInputStream(stdin));
    try {
      int exit = RbacSynth.run(args, new PrintWriter(out), new PrintWriter(err));
      return new Result(exit, out.toString(), err.toString());
    } finally {
      System.setIn(previous);
    }
  }
}
