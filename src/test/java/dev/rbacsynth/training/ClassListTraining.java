package dev.rbacsynth.training;

import dev.rbacsynth.cli.RbacSynth;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/**
 * The training run behind the launcher's class-data archive: the build ({@code mvn package}) runs
 * it once, with {@code -XX:DumpLoadedClassList}, on the packaged jar, and ships the list of the
 * classes it loaded as {@code target/rbac-synth.classlist}; the launcher turns that list into an
 * archive on its first run. It runs the commands users run on small inputs, in one JVM (class lists
 * of several JVMs cannot simply be joined), so that each command finds its classes in the archive.
 * Not a test: it asserts nothing and prints one line per command.
 *
 * <p>It lives outside {@code dev.rbacsynth.cli}: the package of the class a JVM starts with is
 * defined from where that class comes from, and from the test classes it had no jar manifest, so
 * the training's version was "dev" instead of the jar's, and classes that only the real version
 * string needs (the YAML writer's timestamp check of a leading digit) were missing from the
 * archive.
 */
final class ClassListTraining {
  private ClassListTraining() {}

  private static final String DEMO = "testdata/demo.log";
  private static final String FLANNEL = "testdata/rbac/flannel-v0.20.2";
  private static final String LEDGER = "target/class-list-training.ledger.json";
  private static final String FLANNEL_SA = "system:serviceaccount:kube-flannel:flannel";

  static final List<List<String>> COMMANDS =
      List.of(
          List.of("--version"),
          List.of("--help"),
          List.of("generate", "--help"),
          List.of("generate", "-f", DEMO, "--user", "alice"),
          List.of("generate", "-f", DEMO, "--user", "alice", "-q"),
          List.of("generate", "-f", DEMO, "--serviceaccount", "ns1:sa1", "-o", "json", "-q"),
          List.of("-f", DEMO, "--user", "bob", "--exact", "--verify", "-q"),
          List.of("generate", "-f", DEMO, "--user", "nobody", "-q"),
          List.of("generate", "--user", "alice"),
          List.of("can-i", "--rbac", FLANNEL, "--as", FLANNEL_SA, "patch", "nodes/status"),
          List.of("can-i", "--rbac", FLANNEL, "--as", FLANNEL_SA, "get", "pods", "-v"),
          List.of("can-i", "--rbac", FLANNEL, "--as", FLANNEL_SA, "--list", "-n", "kube-flannel"),
          List.of("diff", "--rbac", FLANNEL, "-f", DEMO, "--user", "alice", "-q"),
          List.of("diff", "--rbac", FLANNEL, "-f", DEMO, "--user", "alice", "-o", "json", "-q"),
          List.of("diff", "--rbac", FLANNEL, "-f", DEMO, "--user", "alice", "-o", "markdown"),
          List.of("collect", "-f", DEMO, "--output-file", LEDGER, "-q"),
          List.of("generate", "--usage", LEDGER, "--user", "alice", "-q"));

  public static void main(String[] args) {
    for (List<String> command : COMMANDS) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code =
          RbacSynth.run(command.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
      System.out.println("class-list training: exit " + code + ": rbac-synth " + command);
    }
  }
}
