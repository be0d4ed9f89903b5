package dev.rbacsynth.cli;

import dev.rbacsynth.ledger.LedgerException;
import dev.rbacsynth.read.InputException;
import dev.rbacsynth.read.RbacManifestException;
import dev.rbacsynth.read.StrictModeException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rbac-synth} command: least-privilege Kubernetes RBAC from audit logs. */
@Command(
    name = "rbac-synth",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    subcommands = {
      GenerateCommand.class,
      DiffCommand.class,
      SubjectsCommand.class,
      CanICommand.class,
      ServeCommand.class,
      CollectCommand.class,
      CommandLine.HelpCommand.class
    },
    description = {
      "Least-privilege Kubernetes RBAC from API-server audit logs.",
      "",
      "Commands read audit.k8s.io Events (log or webhook backend, gzip, directories, stdin) for one user, "
          + "service account or group, and follow the apiserver's RBAC semantics exactly.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  rbac-synth generate -f audit.log --user alice",
      "  rbac-synth generate -f audit.log --serviceaccount shop:web \\",
      "    --denied-report denied.md",
      "  rbac-synth diff --rbac existing/ -f audit.log --serviceaccount shop:web",
      "  rbac-synth subjects -f audit.log",
      "  rbac-synth can-i --rbac existing/ --as alice get pods -n shop",
      "  rbac-synth serve --state-dir /var/lib/rbac-synth --tls-cert-file server.crt \\",
      "      --tls-private-key-file server.key --client-ca-file apiserver-ca.crt",
      "  rbac-synth collect -f /var/log/kubernetes/audit/ --output-file usage.json",
      "  # no command: generate, as audit2rbac",
      "  rbac-synth -f audit.log --user alice",
      "",
      ExitCodes.HELP_TEXT
    })
public final class RbacSynth {

  private static final Set<String> TOP_LEVEL_FLAGS = Set.of("-h", "--help", "-V", "--version");

  /**
   * picocli registers type converters for java.sql and java.time classes by reflection each time a
   * command line is built (loading them and listing their methods); no option here has such a type.
   * Set in {@link #run} (so the tests run with it too: an option of such a type would fail there);
   * a user's own setting of the property wins. picocli matches each of the ~20 class names against
   * it with String.matches, compiling it every time: hence the simplest pattern that takes
   * java.sql.* and java.time.* and leaves java.nio.file.Path (no group, no alternation).
   */
  static final String CONVERTER_EXCLUDES = "java\\.[st].*";

  public static void main(String[] args) {
    // Manifests are UTF-8 whatever the locale: a user name such as "ünï" must reach kubectl intact.
    // Descriptor 1 itself, not System.out: a PrintStream keeps write errors to itself, so a full
    // disk or a closed pipe would never reach out.checkError().
    PrintWriter out =
        new PrintWriter(new OutputStreamWriter(new Stdout(), StandardCharsets.UTF_8), false);
    PrintWriter err =
        new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    int code = run(args, out, err);
    if (Stdout.closedByReader()) {
      // the reader has all it wanted (| head, | grep -q): no message, as after a shell's SIGPIPE
      System.exit(ExitCodes.CLOSED_PIPE);
    }
    // PrintWriter keeps write errors to itself: a full disk or a closed pipe on stdout must not
    // end with 0 (a command that wrote through OutputTarget has already said so, with exit 2).
    if (out.checkError() && code != ExitCodes.USAGE_OR_INPUT && code != ExitCodes.INTERNAL) {
      err.println("error: cannot write to standard output (full disk or closed pipe?)");
      code = ExitCodes.USAGE_OR_INPUT;
    }
    System.exit(code);
  }

  /** Runs a command line; the testable entry point. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      // what picocli prints for the version option, without building a model of every command
      out.println(new Version().getVersion()[0]);
      out.flush();
      return ExitCodes.OK;
    }
    if (System.getProperty("picocli.converters.excludes") == null) {
      System.setProperty("picocli.converters.excludes", CONVERTER_EXCLUDES);
    }
    String[] line = withDefaultCommand(args);
    CommandLine cli = commandLine(line);
    if (cli != null) {
      line = Arrays.copyOfRange(line, 1, line.length);
    } else {
      cli = CommandModels.get().root();
    }
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(Handlers.INSTANCE);
    cli.setParameterExceptionHandler(Handlers.INSTANCE);
    int code;
    try {
      code = cli.execute(line);
    } catch (OutOfMemoryError e) {
      code =
          internalError(
              err,
              e,
              "out of memory (the heap is set by the launcher; add e.g. "
                  + "RBAC_SYNTH_JAVA_OPTS=-Xmx2g to give it more)");
    } catch (Error e) {
      code = internalError(err, e, e.toString());
    }
    out.flush();
    err.flush();
    return code;
  }

  /**
   * The handlers of picocli's exceptions, a named class rather than lambdas: picocli's interfaces
   * are Java 5 class files, which the class-data archive of Java 17 leaves out once a lambda made
   * for them at dump time has linked them; then the interfaces, picocli's default handlers and the
   * lambdas were loaded from the jar and the lambdas spun on every run.
   */
  private static final class Handlers
      implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    static final Handlers INSTANCE = new Handlers();

    @Override
    public int handleExecutionException(
        Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
      return handleException(e, cli);
    }

    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
      CommandLine cli = e.getCommandLine();
      cli.getErr().println("error: " + DidYouMean.message(e));
      cli.getErr().println("Run '" + cli.getCommandSpec().qualifiedName() + " --help' for usage.");
      return ExitCodes.USAGE_OR_INPUT;
    }
  }

  /** An Error is never an input error: it is exit 4, with a one-line message. */
  private static int internalError(PrintWriter err, Error e, String what) {
    err.println(
        "internal error: "
            + what
            + " (please report this, with the command line, at the project's issue tracker; set"
            + " RBAC_SYNTH_DEBUG=1 for a stack trace)");
    if (System.getenv("RBAC_SYNTH_DEBUG") != null) {
      e.printStackTrace(err);
    }
    return ExitCodes.INTERNAL;
  }

  /**
   * The invoked subcommand alone, named as under {@code rbac-synth}; null for anything else (no or
   * an unknown command, help), which gets the whole command tree. Building the model of one command
   * instead of all of them, from the generated {@link CommandModels} rather than by reflection over
   * the annotations, is most of the start-up of a small run.
   */
  static CommandLine commandLine(String[] line) {
    if (line.length == 0) {
      return null;
    }
    CommandLine cli = CommandModels.get().subcommand(line[0]);
    if (cli != null) {
      cli.setCommandName("rbac-synth " + line[0]);
    }
    return cli;
  }

  /**
   * audit2rbac takes its flags without a command: {@code rbac-synth -f x --user y} means generate.
   */
  static String[] withDefaultCommand(String[] args) {
    if (args.length == 0 || !args[0].startsWith("-") || TOP_LEVEL_FLAGS.contains(args[0])) {
      return args;
    }
    List<String> out = new ArrayList<>();
    out.add("generate");
    out.addAll(List.of(args));
    return out.toArray(String[]::new);
  }

  private static int handleException(Exception e, CommandLine cli) {
    PrintWriter err = cli.getErr();
    if (Stdout.closedByReader() || Stdout.isClosedPipe(e)) {
      return ExitCodes.CLOSED_PIPE; // quietly: see main
    }
    if (e instanceof InputException
        || e instanceof LedgerException
        || e instanceof RbacManifestException
        || e instanceof StrictModeException) {
      err.println("error: " + e.getMessage());
      return ExitCodes.USAGE_OR_INPUT;
    }
    if (e instanceof UncheckedIOException io) {
      err.println("error: " + io.getMessage());
      return ExitCodes.USAGE_OR_INPUT;
    }
    err.println(
        "internal error: "
            + e
            + " (please report this, with the command line, at the project's issue "
            + "tracker; set RBAC_SYNTH_DEBUG=1 for a stack trace)");
    if (System.getenv("RBAC_SYNTH_DEBUG") != null) {
      e.printStackTrace(err);
    }
    return ExitCodes.INTERNAL;
  }
}
