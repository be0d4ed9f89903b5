package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Cli;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15, section 3: outputs that collide are refused; stdout errors and a closed stdin. */
class OutputSafetyTest {
  private static final String DEMO = "testdata/demo.log";

  @TempDir Path dir;

  @Test
  void anOutputThatIsAnInputIsRefusedAndTheInputKept() throws Exception {
    Path log = Files.copy(Path.of(DEMO), dir.resolve("audit.log"));
    byte[] before = Files.readAllBytes(log);
    Path link = Files.createSymbolicLink(dir.resolve("link.log"), log);
    // the same file as an absolute path, through a link, and relative to the working directory
    String relative = "./" + Path.of("").toAbsolutePath().relativize(log);
    for (String out : List.of(log.toString(), link.toString(), relative)) {
      Cli.Result r = Cli.generate(log.toString(), "alice", "--output-file", out);
      assertThat(r.exit()).as(r.err()).isEqualTo(2);
      assertThat(r.err()).contains("--output-file", "is the same file as -f", "overwrite an input");
    }
    Cli.Result denied = Cli.generate(log.toString(), "alice", "--denied-report", log.toString());
    assertThat(denied.exit()).isEqualTo(2);
    assertThat(denied.err()).contains("--denied-report");
    assertThat(Files.readAllBytes(log)).isEqualTo(before);
  }

  @Test
  void twoOutputsOnOneFileAreRefusedDevicesMayRepeat() throws Exception {
    Path out = dir.resolve("roles.yaml");
    Cli.Result r =
        Cli.generate(
            DEMO, "alice", "--output-file", out.toString(), "--denied-report", out.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("one output would overwrite the other");
    assertThat(out).doesNotExist();
    Cli.Result devnull =
        Cli.generate(DEMO, "alice", "--output-file", "/dev/null", "--denied-report", "/dev/null");
    assertThat(devnull.exit()).as(devnull.err()).isZero();
  }

  @Test
  void diffRefusesAReportOnItsRbacAndCollectOnItsLogButUpdatesALedgerInPlace() throws Exception {
    Path roles = dir.resolve("roles.yaml");
    assertThat(Cli.generate(DEMO, "alice", "--output-file", roles.toString()).exit()).isZero();
    Cli.Result diff =
        Cli.run(
            "diff",
            "--rbac",
            roles.toString(),
            "-f",
            DEMO,
            "--user",
            "alice",
            "--output-file",
            roles.toString());
    assertThat(diff.exit()).isEqualTo(2);
    assertThat(diff.err()).contains("is the same file as --rbac");
    Path log = Files.copy(Path.of(DEMO), dir.resolve("audit.log"));
    Cli.Result collectOnLog =
        Cli.run("collect", "-f", log.toString(), "--output-file", log.toString());
    assertThat(collectOnLog.exit()).isEqualTo(2);
    assertThat(Files.readString(log)).isEqualTo(Files.readString(Path.of(DEMO)));
    Path ledger = dir.resolve("usage.json");
    assertThat(Cli.run("collect", "-f", log.toString(), "--output-file", ledger.toString()).exit())
        .isZero();
    Path ledgerLink = Files.createSymbolicLink(dir.resolve("current.json"), ledger);
    Cli.Result inPlace =
        Cli.run(
            "collect",
            "-f",
            log.toString(),
            "--usage",
            ledgerLink.toString(),
            "--output-file",
            ledgerLink.toString());
    assertThat(inPlace.exit()).as(inPlace.err()).isZero();
    assertThat(Files.isSymbolicLink(ledgerLink)).isTrue();
    assertThat(Files.readString(ledger)).contains("alice");
  }

  @Test
  void whenTheDeniedReportCannotBeWrittenTheManifestsAreNotEither() {
    Path out = dir.resolve("roles.yaml");
    Cli.Result r =
        Cli.generate(
            DEMO,
            "alice",
            "--output-file",
            out.toString(),
            "--denied-report",
            dir.resolve("missing/denied.md").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("no such directory");
    assertThat(out).doesNotExist();
  }

  // ------------------------------------------------------------- real processes

  private static Process start(String shell, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("sh", "-c", shell));
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add(System.getProperty("java.class.path"));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).start();
  }

  private static String[] finish(Process p) throws Exception {
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new String[] {String.valueOf(p.exitValue()), out, err};
  }

  private static final String JAVA =
      "J=$0; CP=$1; shift; \"$J\" -XX:TieredStopAtLevel=1 -cp \"$CP\" dev.rbacsynth.cli.RbacSynth \"$@\"";

  @Test
  void aFullDiskOnStdoutIsAnErrorNotExit0() throws Exception {
    for (String[] args :
        List.of(
            new String[] {"generate", "-f", DEMO, "--user", "alice"},
            new String[] {"diff", "--rbac", "testdata/rbac", "-f", DEMO, "--user", "alice"})) {
      String[] r = finish(start(JAVA + " >/dev/full", args));
      assertThat(r[0]).as(r[2]).isNotEqualTo("0");
      assertThat(r[2].strip().lines().filter(l -> l.contains("standard output")))
          .containsExactly("error: cannot write to standard output (full disk or closed pipe?)");
    }
  }

  @Test
  void aClosedPipeDoesNotEndWith0() throws Exception {
    // the reader is gone before anything is written: the write fails with EPIPE
    String[] r =
        finish(
            start(
                "exec 3>&1; status=$( { " + JAVA + " 3>&-; echo $? >&3; } | true ); ",
                "generate",
                "-f",
                DEMO,
                "--user",
                "alice"));
    assertThat(r[1].strip()).isNotEqualTo("0");
  }

  @Test
  void dashOnAClosedStandardInputIsRefused() throws Exception {
    String[] r = finish(start(JAVA + " <&-", "generate", "-f", "-", "--user", "alice"));
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).contains("standard input is closed");
    assertThat(r[1]).isEmpty();
  }

  @Test
  void theLauncherGivesTheJvmDevNullForAClosedStdinAndSaysSo() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path launcher = Files.copy(Path.of("src/main/sh/rbac-synth"), bin.resolve("rbac-synth"));
    Files.writeString(bin.resolve("rbac-synth.jar"), "PK");
    Path java = Files.createDirectories(dir.resolve("jdk/bin")).resolve("java");
    // the stand-in java prints its options and what its descriptor 0 is
    Files.writeString(java, "#!/bin/sh\necho \"$@\"; readlink /proc/self/fd/0\n");
    for (Path script : List.of(launcher, java)) {
      script.toFile().setExecutable(true);
    }
    ProcessBuilder b =
        new ProcessBuilder("sh", "-c", "exec \"$0\" -f - --user alice <&-", launcher.toString());
    b.environment().put("JAVA_HOME", dir.resolve("jdk").toString());
    b.environment().put("RBAC_SYNTH_CDS", "0");
    b.environment().remove("RBAC_SYNTH_JAVA_OPTS");
    String[] r = finish(b.start());
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    assertThat(r[1]).contains("-Drbac-synth.stdin=closed").contains("/dev/null");
    assertThat(r[2]).isEmpty();
    ProcessBuilder open =
        new ProcessBuilder(
            "sh", "-c", "exec \"$0\" -f - --user alice </dev/null", launcher.toString());
    open.environment().putAll(b.environment());
    String[] o = finish(open.start());
    assertThat(o[1]).doesNotContain("rbac-synth.stdin");
    assertThat(File.separator).isEqualTo("/");
  }
}
