package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reader that closes standard output early ({@code | head}) ends the run quietly with 141, as a
 * shell's SIGPIPE would, instead of "error: cannot write to standard output" (exit 2) or an
 * internal error (exit 4). Real processes: the pipe and its EPIPE are the operating system's. Each
 * command writes far more than a pipe holds (64 KiB), so the early close is always met.
 */
class ClosedPipeTest {
  @TempDir Path tmp;

  /** Runs the command, reads 100 bytes of its standard output, closes it, returns the exit code. */
  private int headOf(Path stderr, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(RbacSynth.class.getName());
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command)
            .redirectError(stderr.toFile())
            .redirectInput(new File("/dev/null"))
            .start();
    try (InputStream out = p.getInputStream()) {
      assertThat(out.readNBytes(100)).hasSize(100);
    }
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }

  @Test
  void diffToAClosedPipeEndsQuietlyWith141() throws Exception {
    Path stderr = tmp.resolve("diff.err");
    int code =
        headOf(
            stderr,
            "diff",
            "-q",
            "-f",
            "testdata/hkerma/audit.log.gz",
            "--all-subjects",
            "--rbac",
            "testdata/rbac/kubernetes-bootstrappolicy");
    assertThat(code).isEqualTo(ExitCodes.CLOSED_PIPE);
    assertThat(Files.readString(stderr, StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void aLedgerWrittenToDevStdoutAndAClosedPipeEndsQuietlyWith141() throws Exception {
    Path stderr = tmp.resolve("collect.err");
    int code =
        headOf(
            stderr,
            "collect",
            "-q",
            "-f",
            "testdata/hkerma/audit.log.gz",
            "--output-file",
            "/dev/stdout");
    assertThat(code).isEqualTo(ExitCodes.CLOSED_PIPE);
    assertThat(Files.readString(stderr, StandardCharsets.UTF_8)).isEmpty();
  }
}
