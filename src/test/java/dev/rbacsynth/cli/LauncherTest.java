package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher script ({@code src/main/sh/rbac-synth}) chooses the JVM options; these tests run it
 * with a stand-in {@code java} that prints the options it was given.
 */
class LauncherTest {
  private static final String DIRECTIVES = "src/main/sh/rbac-synth.directives";

  @TempDir Path dir;
  private Path launcher;
  private Path javaHome;
  private Path cacheHome;

  @BeforeEach
  void copyLauncher() throws IOException {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    launcher = bin.resolve("rbac-synth");
    Files.copy(Path.of("src/main/sh/rbac-synth"), launcher);
    Files.copy(Path.of(DIRECTIVES), bin.resolve("rbac-synth.directives"));
    Files.write(bin.resolve("rbac-synth.jar"), new byte[] {'P', 'K'});
    javaHome = dir.resolve("jdk");
    cacheHome = dir.resolve("cache");
    Path java = Files.createDirectories(javaHome.resolve("bin")).resolve("java");
    Files.writeString(java, "#!/bin/sh\necho \"$@\"\n");
    for (Path script : List.of(launcher, java)) {
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  private String javaArguments(String... args) throws IOException, InterruptedException {
    return javaArguments(false, args);
  }

  private String javaArguments(boolean cds, String... args)
      throws IOException, InterruptedException {
    return javaArgumentsWithOptions(cds, "", args);
  }

  private String javaArgumentsWithOptions(boolean cds, String extraJavaOptions, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(launcher.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("JAVA_HOME", javaHome.toString());
    builder.environment().put("RBAC_SYNTH_CDS", cds ? "1" : "0");
    builder.environment().put("XDG_CACHE_HOME", cacheHome.toString());
    builder.environment().put("RBAC_SYNTH_JAVA_OPTS", extraJavaOptions);
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
    return out.strip();
  }

  @Test
  void fixesHeapGcAndCompilerOptionsAndPassesTheArgumentsOn() throws Exception {
    String line = javaArguments("-f", "testdata/demo.log", "--user", "alice");
    assertThat(line)
        .contains(
            "-XX:+UseSerialGC", "-Xms512m", "-Xmx512m", "-XX:MaxInlineLevel=2", "-Xlog:disable")
        .endsWith(
            "-jar "
                + launcher.getParent().resolve("rbac-synth.jar")
                + " -f testdata/demo.log --user alice");
  }

  @Test
  void smallInputsRunOnTheQuickCompilerAlone() throws Exception {
    assertThat(javaArguments("-f", "testdata/demo.log", "--user", "alice"))
        .contains("-XX:TieredStopAtLevel=1");
    assertThat(javaArguments("--filename=testdata/demo.log", "--user", "alice"))
        .contains("-XX:TieredStopAtLevel=1");
    assertThat(javaArguments("can-i", "--rbac", "testdata/rbac", "--as", "alice", "get", "pods"))
        .contains("-XX:TieredStopAtLevel=1");
  }

  /** A file of {@code size} bytes that takes no disk space: one newline at its end. */
  private Path sparseFile(String name, long size) throws IOException {
    Path file = dir.resolve(name);
    try (var channel =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap(new byte[] {'\n'}), size - 1);
    }
    return file;
  }

  @Test
  void largeOrUnknownInputsKeepTheOptimisingCompiler() throws Exception {
    Path large = sparseFile("large.log", 40_000_000L);
    Path smallGzip = Files.write(dir.resolve("small.log.gz"), new byte[4_000_000]);
    assertThat(javaArguments("-f", large.toString(), "--user", "a"))
        .doesNotContain("TieredStopAtLevel");
    assertThat(javaArguments("-f", "testdata/demo.log", "-f", large.toString(), "--user", "a"))
        .doesNotContain("TieredStopAtLevel");
    assertThat(javaArguments("-f", smallGzip.toString(), "--user", "a"))
        .as("a gzip file counts ten times its size")
        .doesNotContain("TieredStopAtLevel");
    assertThat(javaArguments("-f", "-", "--user", "a")).doesNotContain("TieredStopAtLevel");
    assertThat(javaArguments("-f", "testdata", "--user", "a")).doesNotContain("TieredStopAtLevel");
  }

  @Test
  void largeInputsLeaveC2OnlyTheScanThroughTheCompilerDirectives() throws Exception {
    String directives = launcher.getParent().resolve("rbac-synth.directives").toString();
    assertThat(javaArguments("-f", "-", "--user", "a"))
        .contains(
            "-XX:+UnlockDiagnosticVMOptions",
            "-XX:CompilerDirectivesFile=" + directives,
            "-XX:-DisplayVMOutput",
            "-XX:Tier4InvocationThreshold=100");
    assertThat(javaArguments("-f", "testdata/demo.log", "--user", "a"))
        .as("small inputs have no C2 at all")
        .doesNotContain("CompilerDirectivesFile");
    Path huge = sparseFile("huge.log", 7_000_000_000L);
    assertThat(javaArguments("-f", huge.toString(), "--user", "a"))
        .as("from about 6 GB on, C2 pays off for the whole event path")
        .doesNotContain("CompilerDirectivesFile")
        .doesNotContain("TieredStopAtLevel");
    Files.delete(Path.of(directives));
    assertThat(javaArguments("-f", "-", "--user", "a"))
        .as("a launcher copied without its directives file still runs")
        .doesNotContain("CompilerDirectivesFile")
        .doesNotContain("Tier4");
  }

  /**
   * The real JVM accepts the directives file (a syntax error would stop it from starting) and, with
   * the launcher's -DisplayVMOutput, says so nowhere: its "2 compiler directives added" line would
   * otherwise land in the YAML on stdout.
   */
  @Test
  void theJvmAcceptsTheDirectivesQuietly() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> options =
        List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:CompilerDirectivesFile=" + DIRECTIVES);
    assertThat(runJava(java, options, "-version"))
        .startsWith("2 compiler directives added")
        .as("stdout without -DisplayVMOutput");
    List<String> quiet = new ArrayList<>(options);
    quiet.add("-XX:-DisplayVMOutput");
    assertThat(runJava(java, quiet, "-version")).as("stdout").isEmpty();
  }

  private static String runJava(String java, List<String> options, String argument)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(java));
    command.addAll(options);
    command.add(argument);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("exit code of %s", command).isZero();
    return out;
  }

  @Test
  void pathsWithWhiteSpaceStayOutOfTheOptions() throws Exception {
    Path spaced = Files.createDirectories(dir.resolve("my tools"));
    for (String name : List.of("rbac-synth", "rbac-synth.jar", "rbac-synth.directives")) {
      Files.move(launcher.getParent().resolve(name), spaced.resolve(name));
    }
    launcher = spaced.resolve("rbac-synth");
    String line = javaArguments(true, "-f", "-", "--user", "a");
    assertThat(line)
        .as("the directives file is next to the launcher, in a directory with a space")
        .doesNotContain("CompilerDirectivesFile")
        .contains("-jar " + spaced.resolve("rbac-synth.jar"));
    assertThat(line).contains("ArchiveClassesAtExit");
    cacheHome = dir.resolve("cache dir");
    assertThat(javaArguments(true, "--version"))
        .as("an archive in a cache directory with a space")
        .doesNotContain("ArchiveClassesAtExit")
        .doesNotContain("SharedArchiveFile");
  }

  @Test
  void noArchiveIsWrittenWithANativeAgent() throws Exception {
    // The JVM refuses to dump an archive with a JVMTI agent loaded, and exits with 1.
    assertThat(
            javaArgumentsWithOptions(true, "-agentpath:/opt/profiler/libprofiler.so", "--version"))
        .doesNotContain("ArchiveClassesAtExit")
        .contains("-agentpath:/opt/profiler/libprofiler.so");
    assertThat(
            javaArgumentsWithOptions(
                true, "-Xss2m -agentlib:jdwp=transport=dt_socket", "--version"))
        .doesNotContain("ArchiveClassesAtExit");
    assertThat(javaArgumentsWithOptions(true, "-Xss2m", "--version"))
        .contains("ArchiveClassesAtExit");
  }

  @Test
  void theClassDataArchiveIsRemadeWhenTheJarIsNewer() throws Exception {
    String first = javaArguments(true, "--version");
    assertThat(first).contains("-XX:ArchiveClassesAtExit=");
    Path archive = Path.of(first.replaceAll(".*-XX:ArchiveClassesAtExit=(\\S+).*", "$1"));
    Files.write(archive, new byte[] {1}); // what the stand-in java did not write
    Files.setLastModifiedTime(
        launcher.getParent().resolve("rbac-synth.jar"),
        FileTime.fromMillis(System.currentTimeMillis() - 60_000));
    assertThat(javaArguments(true, "--version"))
        .contains("-XX:SharedArchiveFile=" + archive)
        .doesNotContain("ArchiveClassesAtExit");
    Files.setLastModifiedTime(
        launcher.getParent().resolve("rbac-synth.jar"),
        FileTime.fromMillis(System.currentTimeMillis() + 60_000));
    assertThat(javaArguments(true, "--version"))
        .as("a rebuilt jar with the same content")
        .contains("-XX:ArchiveClassesAtExit=" + archive)
        .doesNotContain("SharedArchiveFile");
  }
}
