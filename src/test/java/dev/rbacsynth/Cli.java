package dev.rbacsynth;

import dev.rbacsynth.cli.RbacSynth;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
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
