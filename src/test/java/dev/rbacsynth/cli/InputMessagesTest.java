package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Cli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 15 §5: inputs rbac-synth cannot use (or can, once it sees what they are) get one line
 * saying what they are and what to do, with the file; never a stack trace or the parser's words.
 * Exit codes as the README documents them: 2 for usage and input errors, 3 when no event matched.
 */
class InputMessagesTest {
  private static final String DEMO = "testdata/demo.log";

  @TempDir Path dir;

  /** One line on stderr per message, none from the JVM or the parser. */
  static void assertClean(String err) {
    assertThat(err)
        .doesNotContain("Exception")
        .doesNotContain("\tat ")
        .doesNotContain("jackson")
        .doesNotContain("Jackson")
        .doesNotContain("StreamReadConstraints")
        .doesNotContain("Unrecognized token")
        .doesNotContain("Source:")
        .doesNotContain("(code ")
        .doesNotContain("`");
  }

  @ParameterizedTest
  @CsvSource({
    "demo.log.zst, zstd-compressed data, zstd -dc",
    "demo.log.bz2, bzip2-compressed data, bzip2 -dc",
    "demo.log.xz, xz-compressed data, xz -dc",
    "demo.log.lz4, lz4-compressed data, lz4 -dc",
  })
  void compressedFormatsAreNamedWithTheCommandThatReadsThem(String file, String what, String tool)
      throws IOException {
    // Also under a name that says nothing: the bytes tell, as for gzip.
    Path renamed =
        Files.copy(Path.of("testdata/formats/compressed", file), dir.resolve("audit.log"));
    for (String path : List.of("testdata/formats/compressed/" + file, renamed.toString())) {
      Cli.Result r = Cli.run("generate", "-f", path, "--user", "alice");
      // the only input holds no audit event at all: an input error (exit 2), not "no match" (3)
      assertThat(r.exit()).isEqualTo(ExitCodes.USAGE_OR_INPUT);
      assertThat(r.err())
          .contains(
              "warning: "
                  + path
                  + ": "
                  + what
                  + ", which rbac-synth does not read (it reads plain and gzip logs): decompress"
                  + " it first, e.g. "
                  + tool
                  + " '"
                  + path
                  + "' | rbac-synth ... -f - (skipped)\n");
      assertClean(r.err());
      Cli.Result strict = Cli.run("generate", "-f", path, "--user", "alice", "--strict");
      assertThat(strict.exit()).isEqualTo(ExitCodes.USAGE_OR_INPUT);
      assertThat(strict.err().lines())
          .hasSize(1)
          .first()
          .asString()
          .startsWith("error: " + path + ": " + what);
    }
  }

  @Test
  void compressedFilesInADirectoryCostNothingElse() throws IOException {
    Files.copy(Path.of("testdata/formats/compressed/demo.log.zst"), dir.resolve("audit.log.2.zst"));
    Files.copy(Path.of(DEMO), dir.resolve("audit.log"));
    Cli.Result r = Cli.run("generate", "-f", dir.toString(), "--user", "alice", "-q");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("- pods");
    assertThat(r.err()).contains("audit.log.2.zst: zstd-compressed data");
  }

  @Test
  void utf16AsPowerShellWritesItIsRead() throws IOException {
    // Windows PowerShell's > and Out-File: UTF-16LE with a byte order mark and CRLF line ends.
    String text = Files.readString(Path.of(DEMO)).replace("\n", "\r\n");
    byte[] le = text.getBytes(StandardCharsets.UTF_16LE);
    byte[] bytes = new byte[le.length + 2];
    bytes[0] = (byte) 0xFF;
    bytes[1] = (byte) 0xFE;
    System.arraycopy(le, 0, bytes, 2, le.length);
    Path file = Files.write(dir.resolve("audit-ps.log"), bytes);
    Cli.Result r = Cli.run("generate", "-f", file.toString(), "--user", "alice");
    Cli.Result plain = Cli.run("generate", "-f", DEMO, "--user", "alice");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo(plain.out());
    assertThat(r.err()).doesNotContain("warning: " + file);
  }

  @Test
  void binaryDataIsNamedOnce() throws IOException {
    byte[] bytes = new byte[4096];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 31);
    }
    Path file = Files.write(dir.resolve("core"), bytes);
    Cli.Result r = Cli.run("generate", "-f", file.toString(), "--user", "alice");
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE_OR_INPUT);
    assertThat(r.err())
        .contains(
            "warning: "
                + file
                + ": binary data, not an audit log (audit logs are JSON or YAML text) (skipped)")
        .containsOnlyOnce("warning: ");
  }

  @Test
  void standardInputGivenTwiceIsAUsageError() {
    for (String[] args :
        List.of(
            new String[] {"generate", "-f", "-", "-f", "-", "--user", "alice"},
            new String[] {"generate", "-f", "-", "-f", DEMO, "-f", "-", "--user", "alice"},
            new String[] {"subjects", "-f", "-", "-f", "-"},
            new String[] {"can-i", "--rbac", "-", "--rbac", "-", "--as", "alice", "get", "pods"})) {
      Cli.Result r = Cli.runWithStdin(new byte[0], args);
      assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE_OR_INPUT);
      assertThat(r.err().lines().findFirst().orElseThrow())
          .as(String.join(" ", args))
          .startsWith("error: standard input given twice");
      assertClean(r.err());
    }
  }

  @Test
  void aDashAsAnOutputIsRefusedNotWrittenAsAFileNamedDash() {
    for (String option : List.of("--output-file", "--denied-report", "--explain")) {
      Cli.Result r = Cli.run("generate", "-f", DEMO, "--user", "alice", option, "-");
      assertThat(r.exit()).as(option).isEqualTo(ExitCodes.USAGE_OR_INPUT);
      assertThat(r.err()).as(option).startsWith("error: " + option + " -: give a file name; ");
      assertThat(Path.of("-")).doesNotExist();
    }
    Cli.Result collect = Cli.run("collect", "-f", DEMO, "--output-file", "-");
    assertThat(collect.exit()).isEqualTo(ExitCodes.USAGE_OR_INPUT);
    assertThat(Path.of("-")).doesNotExist();
  }

  @Test
  void aMissingOutputDirectoryIsSaidBeforeAnythingIsRead() {
    Path missing = dir.resolve("no-such-dir");
    for (String[] args :
        List.of(
            new String[] {"--output-file", missing.resolve("rbac.yaml").toString()},
            new String[] {"--denied-report", missing.resolve("denied.md").toString()},
            new String[] {"--explain", missing.resolve("why.txt").toString()})) {
      Cli.Result r = Cli.run("generate", "-f", DEMO, "--user", "alice", args[0], args[1]);
      assertThat(r.exit()).as(args[0]).isEqualTo(ExitCodes.USAGE_OR_INPUT);
      assertThat(r.err())
          .as(args[0])
          .startsWith(
              "error: " + args[0] + " " + args[1] + ": no such directory: " + missing + "\n")
          .doesNotContain("read 37 records");
    }
    Cli.Result all =
        Cli.run(
            "generate",
            "-f",
            DEMO,
            "--all-subjects",
            "--output-dir",
            missing.resolve("rbac").toString());
    assertThat(all.exit()).isEqualTo(ExitCodes.USAGE_OR_INPUT);
    assertThat(all.err())
        .startsWith(
            "error: --output-dir " + missing.resolve("rbac") + ": no such directory: " + missing);
    assertThat(missing).doesNotExist();
    Cli.Result diff =
        Cli.run(
            "diff",
            "--rbac",
            "testdata/rbac/flannel-v0.20.2",
            "-f",
            DEMO,
            "--user",
            "alice",
            "--output-file",
            missing.resolve("report.txt").toString());
    assertThat(diff.exit()).isEqualTo(ExitCodes.USAGE_OR_INPUT);
    assertThat(diff.err()).contains("no such directory: " + missing);
  }

  @Test
  void anOutputDirectoryIsMadeWhenOnlyItIsMissing() {
    Path rbac = dir.resolve("rbac");
    Cli.Result r =
        Cli.run("generate", "-f", DEMO, "--all-subjects", "--output-dir", rbac.toString(), "-q");
    assertThat(r.exit()).isZero();
    assertThat(rbac.resolve("kustomization.yaml")).exists();
  }

  @Test
  void aBadSubjectsRegexIsOneLineInPlainWords() {
    for (String[] args :
        List.of(
            new String[] {"subjects", "-f", DEMO, "--subjects-matching", "["},
            new String[] {
              "generate",
              "-f",
              DEMO,
              "--all-subjects",
              "--output-dir",
              dir.toString(),
              "--subjects-matching",
              "["
            })) {
      Cli.Result r = Cli.run(args);
      assertThat(r.exit()).isEqualTo(ExitCodes.USAGE_OR_INPUT);
      String first = r.err().lines().findFirst().orElseThrow();
      assertThat(first)
          .isEqualTo(
              "error: Invalid value for option '--subjects-matching': \"[\" is not a regular"
                  + " expression: unclosed character class (at character 1)");
      assertThat(r.err().lines().count()).isEqualTo(2); // and "Run '... --help' for usage."
      assertClean(r.err());
    }
  }
}
