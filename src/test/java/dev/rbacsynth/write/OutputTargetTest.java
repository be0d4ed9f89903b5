package dev.rbacsynth.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputTargetTest {
  @TempDir Path dir;

  @Test
  void aSymbolicLinkHasItsTargetUpdatedAndStaysALink() throws Exception {
    Path real = Files.writeString(dir.resolve("real.yaml"), "old\n");
    Path link = Files.createSymbolicLink(dir.resolve("link.yaml"), Path.of("real.yaml"));
    OutputTarget.write("new\n", link, null);
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Files.readString(real)).isEqualTo("new\n");
    // a dangling link: its target is created
    Path dangling = Files.createSymbolicLink(dir.resolve("d.yaml"), dir.resolve("sub-target.yaml"));
    OutputTarget.write("x\n", dangling, null);
    assertThat(Files.isSymbolicLink(dangling)).isTrue();
    assertThat(Files.readString(dir.resolve("sub-target.yaml"))).isEqualTo("x\n");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  @Test
  void aDeviceIsWrittenDirectlyNeverReplaced() {
    OutputTarget.write("discarded\n", Path.of("/dev/null"), null);
    assertThat(Files.isRegularFile(Path.of("/dev/null"))).isFalse();
    assertThat(Files.exists(Path.of("/dev/null"))).isTrue();
  }

  @Test
  void aFifoIsWrittenDirectlyAndStaysAFifo() throws Exception {
    Path fifo = dir.resolve("out.fifo");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    Process reader = new ProcessBuilder("cat", fifo.toString()).start();
    OutputTarget.write("through the fifo\n", fifo, null);
    String read = new String(reader.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(reader.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(read).isEqualTo("through the fifo\n");
    assertThat(Files.isRegularFile(fifo)).isFalse();
    assertThat(Files.exists(fifo)).isTrue();
  }

  @Test
  void aNewFileGetsTheUmasksPermissionsAnExistingOneKeepsItsOwn() throws Exception {
    // what any file this process creates gets (0666 less the umask): the reference
    Path reference = Files.createFile(dir.resolve("reference"));
    Path out = dir.resolve("new.yaml");
    OutputTarget.write("a\n", out, null);
    assertThat(Files.getPosixFilePermissions(out))
        .isEqualTo(Files.getPosixFilePermissions(reference));
    Path kept = Files.writeString(dir.resolve("kept.yaml"), "old\n");
    Files.setPosixFilePermissions(kept, PosixFilePermissions.fromString("rw-r-----"));
    OutputTarget.write("b\n", kept, null);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kept)))
        .isEqualTo("rw-r-----");
  }

  @Test
  void aNewFileUnderUmask022Is0644() throws Exception {
    Path out = dir.resolve("umask.yaml");
    Path classes = Path.of("target/classes").toAbsolutePath();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    String script =
        "umask 022; exec \"$0\" -cp \"$1\" dev.rbacsynth.write.OutputTargetTest\\$WriteOne \"$2\"";
    // a tiny main in the test classes writes through OutputTarget under the shell's umask
    Process p =
        new ProcessBuilder(
                "sh",
                "-c",
                script,
                java.toString(),
                classes + ":" + Path.of("target/test-classes").toAbsolutePath(),
                out.toString())
            .redirectErrorStream(true)
            .start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(log).isZero();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
        .isEqualTo("rw-r--r--");
  }

  /** Used by {@link #aNewFileUnderUmask022Is0644}. */
  public static final class WriteOne {
    public static void main(String[] args) {
      OutputTarget.write("x\n", Path.of(args[0]), null);
    }
  }

  @Test
  void whenOneOutputCannotBeWrittenNoneIs() throws Exception {
    Path first = Files.writeString(dir.resolve("roles.yaml"), "previous\n");
    Path fresh = dir.resolve("fresh.yaml");
    Path missing = dir.resolve("no-such-dir/denied.md");
    assertThatThrownBy(
            () ->
                OutputTarget.writeAll(
                    List.of(
                        OutputTarget.Output.of(first, "new\n"),
                        OutputTarget.Output.of(fresh, "new\n"),
                        OutputTarget.Output.of(missing, "denied\n"))))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("no such directory");
    assertThat(Files.readString(first)).isEqualTo("previous\n");
    assertThat(fresh).doesNotExist();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("roles.yaml");
    }
  }
}
