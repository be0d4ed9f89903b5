package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Assumptions;
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
    Files.writeString(bin.resolve("rbac-synth.classlist"), "java/lang/Object\n");
    javaHome = dir.resolve("jdk");
    cacheHome = dir.resolve("cache");
    Path java = Files.createDirectories(javaHome.resolve("bin")).resolve("java");
    // the stand-in java prints its options; asked to dump an archive it writes one (or fails, when
    // the file "fail-dump" exists) and logs the dump command in "dumps". It knows AOT caches (Java
    // 25)
    // only when the file "aot" exists: then it records a run's configuration, and makes a cache
    // from one, logging that command in "creates"; a run exits with the number in "exit", if any.
    Files.writeString(
        java,
        "#!/bin/sh\n"
            + "b=${0%/*}\n"
            + "for a in \"$@\"; do case $a in -XX:SharedArchiveFile=*) f=${a#*=} ;; -Xshare:dump) d=1 ;;"
            + " -XX:AOTMode=off) probe=1 ;; -XX:AOTMode=create) create=1 ;;"
            + " -XX:AOTConfiguration=*) conf=${a#*=} ;; -XX:AOTCache=*) cache=${a#*=} ;; esac;"
            + " done\n"
            + "if [ \"$d\" = 1 ]; then\n"
            + "  [ -e \"$b/fail-dump\" ] && exit 1\n"
            + "  echo \"$JAVA_TOOL_OPTIONS|$*\" >> \"$b/dumps\"; echo archive > \"$f\"; exit 0\n"
            + "fi\n"
            + "if [ \"$probe\" = 1 ]; then [ -e \"$b/aot\" ]; exit $?; fi\n"
            + "if [ \"$create\" = 1 ]; then\n"
            + "  echo \"$JAVA_TOOL_OPTIONS|$*\" >> \"$b/creates\"; echo cache > \"$cache\"; exit 0\n"
            + "fi\n"
            + "[ -n \"$conf\" ] && echo configuration > \"$conf\"\n"
            + "echo \"$@\"\n"
            + "[ -e \"$b/exit\" ] && exit \"$(cat \"$b/exit\")\"\n"
            + "exit 0\n");
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
    Run r = launch(cds, extraJavaOptions, args);
    assertThat(r.exit()).as(r.out()).isZero();
    return r.out();
  }

  private record Run(int exit, String out) {}

  /** More environment for the launcher's runs. */
  private final Map<String, String> environment = new HashMap<>();

  private Run launch(boolean cds, String extraJavaOptions, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(launcher.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("JAVA_HOME", javaHome.toString());
    builder.environment().put("RBAC_SYNTH_CDS", cds ? "1" : "0");
    builder.environment().put("XDG_CACHE_HOME", cacheHome.toString());
    builder.environment().put("RBAC_SYNTH_JAVA_OPTS", extraJavaOptions);
    builder.environment().putAll(environment);
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), out.strip());
  }

  @Test
  void fixesHeapGcAndCompilerOptionsAndPassesTheArgumentsOn() throws Exception {
    String line = javaArguments("-f", "testdata/demo.log", "--user", "alice");
    assertThat(line)
        .contains(
            "-XX:+UseSerialGC", "-Xms512m", "-Xmx512m", "-XX:MaxInlineLevel=2", "-Xlog:disable")
        .endsWith(
            "-cp "
                + launcher.getParent().resolve("rbac-synth.jar")
                + " dev.rbacsynth.cli.RbacSynth -f testdata/demo.log --user alice");
  }

  @Test
  void smallInputsRunOnTheQuickCompilerAlone() throws Exception {
    assertThat(javaArguments("-f", "testdata/demo.log", "--user", "alice"))
        .contains("-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1");
    assertThat(javaArguments("--filename=testdata/demo.log", "--user", "alice"))
        .contains("-XX:TieredStopAtLevel=1", "-Dsun.reflect.inflationThreshold=2147483647");
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
        .doesNotContain("TieredStopAtLevel")
        .as("C2 needs its own compiler thread")
        .doesNotContain("CICompilerCount");
    assertThat(javaArguments("-f", "testdata/demo.log", "-f", large.toString(), "--user", "a"))
        .doesNotContain("TieredStopAtLevel");
    assertThat(javaArguments("-f", smallGzip.toString(), "--user", "a"))
        .as("a gzip file counts ten times its size")
        .doesNotContain("TieredStopAtLevel");
    assertThat(javaArguments("-f", "-", "--user", "a"))
        .doesNotContain("TieredStopAtLevel")
        .doesNotContain("inflationThreshold");
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
    Path large = sparseFile("large.log", 40_000_000L);
    assertThat(javaArguments("collect", "-f", large.toString(), "--output-file", "l.json"))
        .as("collect parses every line: C2 pays off for the whole event path")
        .doesNotContain("CompilerDirectivesFile")
        .doesNotContain("TieredStopAtLevel")
        .as("a smaller young generation keeps collect's peak RSS under 400 MB")
        .contains("-Xmn64m")
        .as("both cores copy in collect's many young collections")
        .contains("-XX:+UseParallelGC", "-XX:-UseAdaptiveSizePolicy")
        .doesNotContain("-XX:+UseSerialGC")
        .as(
            "collect's heap grows with the rows it holds, from a small start, with no fixed ceiling")
        .contains("-Xms256m", "-XX:MaxHeapFreeRatio=100")
        .doesNotContain("-Xmx")
        .doesNotContain("-Xms512m");
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
    for (String name :
        List.of("rbac-synth", "rbac-synth.jar", "rbac-synth.directives", "rbac-synth.classlist")) {
      Files.move(launcher.getParent().resolve(name), spaced.resolve(name));
    }
    launcher = spaced.resolve("rbac-synth");
    String line = javaArguments(true, "-f", "-", "--user", "a");
    assertThat(line)
        .as("the directives file and the archive's jar are in a directory with a space")
        .doesNotContain("CompilerDirectivesFile")
        .doesNotContain("SharedArchiveFile")
        .contains("-cp " + spaced.resolve("rbac-synth.jar"));
    launcher = Files.move(spaced, dir.resolve("tools")).resolve("rbac-synth");
    assertThat(javaArguments(true, "--version")).contains("-XX:SharedArchiveFile=");
    cacheHome = dir.resolve("cache dir");
    assertThat(javaArguments(true, "--version"))
        .as("an archive in a cache directory with a space")
        .doesNotContain("SharedArchiveFile");
  }

  private Path archiveOf(String line) {
    assertThat(line).contains("-XX:SharedArchiveFile=");
    return Path.of(line.replaceAll(".*-XX:SharedArchiveFile=(\\S+).*", "$1"));
  }

  private List<String> dumps() throws IOException {
    Path log = javaHome.resolve("bin/dumps");
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }

  @Test
  void theFirstRunMakesTheArchiveFromTheClassListAndLaterRunsUseIt() throws Exception {
    Path bin = launcher.getParent();
    String first = javaArguments(true, "--version");
    Path archive = archiveOf(first);
    assertThat(archive).exists().startsWith(cacheHome.resolve("rbac-synth"));
    assertThat(dumps())
        .singleElement()
        .asString()
        .as(
            "a static archive of the class list's classes, from the jar, without the user's options")
        .startsWith("|")
        .contains(
            "-Xshare:dump",
            "-XX:SharedClassListFile=" + bin.resolve("rbac-synth.classlist"),
            "-cp " + bin.resolve("rbac-synth.jar"));
    assertThat(first).contains("-Xlog:cds=off", "-cp " + bin.resolve("rbac-synth.jar"));
    assertThat(first)
        .as("mapped where it was made for, so the JVM need not rewrite its pointers")
        .contains("-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0");
    assertThat(dumps())
        .singleElement()
        .asString()
        .as("a JVM that does not know the option makes no archive, so runs never get it alone")
        .contains("-XX:ArchiveRelocationMode=0");
    assertThat(archiveOf(javaArguments(true, "-f", "testdata/demo.log", "--user", "a")))
        .isEqualTo(archive);
    assertThat(dumps()).as("made once").hasSize(1);
  }

  @Test
  void theArchiveIsMadeAgainForAnotherJarOrJvm() throws Exception {
    Path jar = launcher.getParent().resolve("rbac-synth.jar");
    javaArguments(true, "--version");
    long now = System.currentTimeMillis();
    Files.setLastModifiedTime(jar, FileTime.fromMillis(now + 60_000));
    javaArguments(true, "--version");
    assertThat(dumps()).as("a rebuilt jar").hasSize(2);
    Files.setLastModifiedTime(jar, FileTime.fromMillis(now - 600_000));
    javaArguments(true, "--version");
    assertThat(dumps()).as("an older jar copied over it (the JVM checks the time)").hasSize(3);
    javaArguments(true, "--version");
    assertThat(dumps()).hasSize(3);
    Path java = javaHome.resolve("bin/java");
    Files.setLastModifiedTime(java, FileTime.fromMillis(now - 600_000));
    javaArguments(true, "--version");
    assertThat(dumps()).as("another JVM build").hasSize(4);
  }

  @Test
  void eachLauncherDirectoryHasItsOwnArchive() throws Exception {
    Path first = archiveOf(javaArguments(true, "--version"));
    Path other = Files.createDirectories(dir.resolve("other"));
    for (String name : List.of("rbac-synth", "rbac-synth.jar", "rbac-synth.classlist")) {
      Files.copy(launcher.getParent().resolve(name), other.resolve(name));
    }
    launcher = other.resolve("rbac-synth");
    assertThat(archiveOf(javaArguments(true, "--version"))).isNotEqualTo(first);
    assertThat(first).exists();
  }

  @Test
  void runsWithoutAnArchiveWhenItCannotBeMade() throws Exception {
    Files.writeString(javaHome.resolve("bin/fail-dump"), "");
    assertThat(javaArguments(true, "--version"))
        .doesNotContain("SharedArchiveFile")
        .doesNotContain("ArchiveRelocationMode");
    Files.delete(javaHome.resolve("bin/fail-dump"));
    Files.delete(launcher.getParent().resolve("rbac-synth.classlist"));
    assertThat(javaArguments(true, "--version"))
        .as("no class list: a jar built without the training run")
        .doesNotContain("SharedArchiveFile")
        .doesNotContain("Xshare");
    assertThat(dumps()).isEmpty();
  }

  @Test
  void theUsersOptionsGoToTheRunNotToTheDump() throws Exception {
    String line =
        javaArgumentsWithOptions(true, "-agentpath:/opt/profiler/libprofiler.so", "--version");
    assertThat(line)
        .contains("-agentpath:/opt/profiler/libprofiler.so")
        .contains("-XX:SharedArchiveFile=");
    assertThat(dumps()).singleElement().asString().doesNotContain("agentpath");
  }

  private List<String> creates() throws IOException {
    Path log = javaHome.resolve("bin/creates");
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }

  /**
   * A JVM that makes AOT caches (Java 25 and later) gets one per command for small inputs: the
   * command's first small run is recorded, the cache made from it after, and later runs use it in
   * place of the archive. Larger inputs and collect keep the archive.
   */
  @Test
  void aJvmThatMakesAotCachesGetsOnePerCommandForSmallInputs() throws Exception {
    Files.writeString(javaHome.resolve("bin/aot"), "");
    Path jar = launcher.getParent().resolve("rbac-synth.jar");
    String first = javaArguments(true, "generate", "-f", "testdata/demo.log", "--user", "a");
    Path cds = archiveOf(javaArguments(true, "-f", "-", "--user", "a")).getParent();
    assertThat(first)
        .contains(
            "-XX:AOTMode=record",
            "-XX:AOTConfiguration=" + cds.resolve("generate.aotconf."),
            "-XX:-DisplayVMOutput")
        .doesNotContain("SharedArchiveFile")
        .endsWith(
            "-cp " + jar + " dev.rbacsynth.cli.RbacSynth generate -f testdata/demo.log --user a");
    assertThat(creates())
        .singleElement()
        .asString()
        .as("made without the user's options, from the recorded configuration and the jar")
        .startsWith("|")
        .contains(
            "-XX:AOTMode=create",
            "-XX:AOTConfiguration=" + cds.resolve("generate.aotconf."),
            "-XX:AOTCache=" + cds.resolve("generate.aot."),
            "-cp " + jar);
    String second = javaArguments(true, "generate", "-f", "testdata/demo.log", "--user", "b");
    assertThat(second)
        .contains("-XX:AOTCache=" + cds.resolve("generate.aot"), "-Xlog:aot*=off")
        .doesNotContain("AOTMode", "SharedArchiveFile");
    assertThat(javaArguments(true, "can-i", "--rbac", "testdata/rbac", "--as", "a", "get", "pods"))
        .as("another command, another cache")
        .contains("-XX:AOTMode=record", "can-i.aotconf.");
    assertThat(javaArguments(true, "--version")).contains("version.aotconf.");
    assertThat(javaArguments(true, "generate", "--usage", "usage.json", "--user", "a"))
        .as("reading a ledger loads other classes than reading a log")
        .contains("generate-usage.aotconf.");
    assertThat(javaArguments(true, "-f", "testdata/demo.log", "--user", "a"))
        .as("generate without its name, and --help")
        .contains("main.aotconf.");
    assertThat(creates()).hasSize(5);
    try (var files = Files.list(cds)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .contains("generate.aot", "can-i.aot", "version.aot", "main.aot", "generate-usage.aot")
          .noneMatch(f -> f.contains(".aotconf") || f.matches(".*\\.aot\\.[0-9]+"));
    }
    Path large = sparseFile("large.log", 40_000_000L);
    assertThat(javaArguments(true, "generate", "-f", large.toString(), "--user", "a"))
        .contains("SharedArchiveFile")
        .doesNotContain("AOT");
    assertThat(javaArguments(true, "collect", "-f", "testdata/demo.log", "--output-file", "l.json"))
        .contains("SharedArchiveFile")
        .doesNotContain("AOT");
    // a rebuilt jar: the archive is made again and the caches of the old jar go with it
    Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
    assertThat(javaArguments(true, "-f", "-", "--user", "a")).contains("SharedArchiveFile");
    assertThat(cds.resolve("generate.aot")).doesNotExist();
    assertThat(javaArguments(true, "generate", "-f", "testdata/demo.log", "--user", "a"))
        .contains("-XX:AOTMode=record");
  }

  @Test
  void theRecordedRunEndsAsTheRunDoes() throws Exception {
    Files.writeString(javaHome.resolve("bin/aot"), "");
    Files.writeString(javaHome.resolve("bin/exit"), "3");
    Run r = launch(true, "", "generate", "-f", "testdata/demo.log", "--user", "a");
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.out()).contains("-XX:AOTMode=record");
    assertThat(creates()).as("the cache is made all the same").hasSize(1);
  }

  /**
   * With a real JVM that makes AOT caches (the Java 25 JDK beside Java 17 on this project's
   * machines; skipped where there is none): the recorded first run says nothing of the JVM's on
   * stdout (it says "AOTConfiguration recorded" there unless told not to), the cache is made, and
   * the next run uses it, with the same output.
   */
  @Test
  void aRealJvmMakesTheCacheQuietlyAndUsesIt() throws Exception {
    Path jdk = jdkWithAotCaches();
    Assumptions.assumeTrue(jdk != null, "no JDK 25 or later under /usr/lib/jvm");
    javaHome = jdk;
    Path bin = launcher.getParent();
    // what --version needs: the main classes and picocli, as one jar where the launcher looks
    Path jar = bin.resolve("rbac-synth.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
        Path p = Path.of(entry);
        if (Files.isDirectory(p) && p.endsWith("classes")) {
          try (var files = Files.walk(p)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
              out.putNextEntry(new JarEntry(p.relativize(f).toString().replace('\\', '/')));
              Files.copy(f, out);
            }
          }
        } else if (p.getFileName().toString().startsWith("picocli-")) {
          try (JarInputStream in = new JarInputStream(Files.newInputStream(p))) {
            for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
              if (!e.isDirectory() && e.getName().startsWith("picocli/")) {
                out.putNextEntry(new JarEntry(e.getName()));
                in.transferTo(out);
              }
            }
          }
        }
      }
    }
    String expected =
        runJava(
            jdk.resolve("bin/java").toString(),
            List.of("-cp", jar.toString(), "dev.rbacsynth.cli.RbacSynth"),
            "--version");
    Run first = launch(true, "", "--version");
    Run second = launch(true, "", "--version");
    assertThat(first.exit()).isZero();
    assertThat(second.exit()).isZero();
    assertThat(first.out() + "\n").isEqualTo(expected);
    assertThat(second.out() + "\n").isEqualTo(expected);
    try (var files = Files.walk(cacheHome)) {
      assertThat(files.map(f -> f.getFileName().toString())).contains("version.aot", "app.jsa");
    }
  }

  /** A JDK of Java 25 or later under /usr/lib/jvm, or null. */
  private static Path jdkWithAotCaches() throws IOException {
    Path jvms = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(jvms)) {
      return null;
    }
    try (var dirs = Files.list(jvms)) {
      for (Path d : dirs.sorted().toList()) {
        Path release = d.resolve("release");
        if (!Files.isRegularFile(release) || !Files.isExecutable(d.resolve("bin/java"))) {
          continue;
        }
        for (String line : Files.readAllLines(release)) {
          if (line.matches("JAVA_VERSION=\"(\\d+).*")
              && Integer.parseInt(line.replaceAll("JAVA_VERSION=\"(\\d+).*", "$1")) >= 25) {
            return d;
          }
        }
      }
    }
    return null;
  }

  /** A JVM that does not make AOT caches, or RBAC_SYNTH_AOT=0: the archive alone. */
  @Test
  void withoutAotCachesTheArchiveAlone() throws Exception {
    for (boolean jvmMakesThem : List.of(false, true)) {
      if (jvmMakesThem) {
        Files.writeString(javaHome.resolve("bin/aot"), "");
        environment.put("RBAC_SYNTH_AOT", "0");
        // another JVM build: the archive is made again, and the JVM asked whether it makes caches
        Files.setLastModifiedTime(
            javaHome.resolve("bin/java"), FileTime.fromMillis(System.currentTimeMillis() + 60_000));
      }
      javaArguments(true, "--version");
      assertThat(javaArguments(true, "generate", "-f", "testdata/demo.log", "--user", "a"))
          .contains("SharedArchiveFile")
          .doesNotContain("AOT");
    }
    assertThat(creates()).isEmpty();
  }

  @Test
  void aSymbolicLinkToTheLauncherFindsItsJar() throws Exception {
    Path link = Files.createDirectories(dir.resolve("links")).resolve("rbac-synth");
    Files.createSymbolicLink(link, launcher);
    Path bin = launcher.getParent();
    launcher = link;
    assertThat(javaArguments("--version")).contains("-cp " + bin.resolve("rbac-synth.jar"));
  }

  /**
   * What a small run loads, with the real JVM: --version no picocli model, no JSON, YAML or RBAC
   * model; generate on demo.log no data binding, no other command, no java.sql, no YAML parser (the
   * default policy is compiled in), no Formatter (its first use loads the locale's number symbols)
   * and no record method linked through method handles; can-i no audit log reader and no
   * java.util.logging (SnakeYAML's logger is rbac-synth's own), no directory-walk stream and no
   * YAML writer. Neither builds the JDK's ISO formatters, opens a file through a FileChannel or
   * compiles an expression its input does not need.
   */
  @Test
  void smallRunsLoadOnlyWhatTheyNeed() throws Exception {
    String version = loadedClasses("--version");
    assertThat(version)
        .doesNotContain("picocli.CommandLine$Model", "tools.jackson", "org.yaml", "io.fabric8")
        .contains("dev.rbacsynth.cli.Version");
    // without -q: the summary and denied lines on stderr are part of the run
    String generate = loadedClasses("generate", "-f", "testdata/demo.log", "--user", "alice");
    assertThat(generate)
        .contains("dev.rbacsynth.cli.GenerateCommand", "tools.jackson.core.json.JsonFactory")
        .doesNotContain(
            "dev.rbacsynth.cli.DiffCommand",
            "dev.rbacsynth.cli.CanICommand",
            "tools.jackson.databind.ObjectMapper",
            "tools.jackson.databind.json.JsonMapper",
            "java.sql.Time ",
            "java.time.ZonedDateTime ",
            "org.yaml.snakeyaml",
            "java.util.Formatter ",
            "java.lang.runtime.ObjectMethods ",
            // times written without the JDK's table of ISO formatters, YAML without int streams,
            // and no regular expression compiled that the run's text never needs
            "java.time.format.DateTimeFormatter ",
            "java.util.stream.IntPipeline ",
            "dev.rbacsynth.yaml.GoYamlResolver$Patterns",
            "dev.rbacsynth.attributes.EventInterpreter$Impersonation",
            // a plain file read through a FileInputStream (no FileChannel, no nio library), and
            // no rotation pattern compiled for a lone -f file
            "sun.nio.ch.FileChannelImpl ",
            "dev.rbacsynth.read.InputResolver$Rotation");
    String canI =
        loadedClasses(
            "can-i",
            "--rbac",
            "testdata/rbac/flannel-v0.20.2",
            "--as",
            "system:serviceaccount:kube-flannel:flannel",
            "patch",
            "nodes/status");
    assertThat(canI)
        .contains("dev.rbacsynth.cli.CanICommand")
        .doesNotContain(
            "dev.rbacsynth.cli.GenerateCommand",
            "tools.jackson.databind.ObjectMapper",
            "dev.rbacsynth.read.AuditLogReader ",
            "java.util.logging.LogManager ",
            "java.time.format.DateTimeFormatter ",
            "dev.rbacsynth.cani.ResourceArg$Version",
            // the manifest directory listed without Files.walk's streams, one file in it not
            // sorted by rotation patterns, its YAML composed without SnakeYAML's writing half,
            // the file read without a FileChannel, the groups merged without an IntStream
            "java.nio.file.FileTreeWalker ",
            "dev.rbacsynth.read.InputResolver$Rotation",
            "org.yaml.snakeyaml.Yaml ",
            "org.yaml.snakeyaml.representer.Representer ",
            "sun.nio.ch.FileChannelImpl ",
            "java.util.stream.IntPipeline ");
  }

  static String loadedClasses(String... args) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-verbose:class",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.rbacsynth.cli.RbacSynth"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("exit code of %s", command).isZero();
    assertThat(out).contains("[class,load]");
    return out;
  }
}
