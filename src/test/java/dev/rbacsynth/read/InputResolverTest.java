package dev.rbacsynth.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputResolverTest {
  @TempDir Path dir;

  private List<String> names(String... args) {
    return new InputResolver(new ByteArrayInputStream(new byte[0]))
        .resolve(List.of(args)).stream()
            .map(s -> dir.relativize(Path.of(s.name())).toString())
            .toList();
  }

  private void touch(String... files) throws IOException {
    for (String f : files) {
      Path p = dir.resolve(f);
      Files.createDirectories(p.getParent());
      // each its own content: equal logs under two names are refused (a test of its own)
      Files.writeString(p, "{\"file\":\"" + f + "\"}\n");
    }
  }

  @Test
  void theSameFileGivenTwiceIsReadOnce() throws IOException {
    touch("audit.log");
    String f = dir.resolve("audit.log").toString();
    String alias = dir.resolve(".").resolve("audit.log").toString();
    assertThat(names(f, alias, dir.toString())).containsExactly("audit.log");
  }

  @Test
  void rotatedLogsComeOldestFirstAndTheLiveFileLast() throws IOException {
    touch(
        "audit.log",
        "audit-2026-11-20T10-00-00.000.log.gz",
        "audit-2026-11-19T23-59-59.123.log",
        "kube.log.1",
        "kube.log.2.gz",
        "kube.log",
        ".hidden");
    assertThat(names(dir.toString()))
        .containsExactly(
            "audit-2026-11-19T23-59-59.123.log",
            "audit-2026-11-20T10-00-00.000.log.gz",
            "audit.log",
            "kube.log.2.gz",
            "kube.log.1",
            "kube.log");
  }

  @Test
  void directoriesAreReadRecursivelyLikeCloudExports() throws IOException {
    touch("y=2026/m=11/d=23/h=09/PT1H.json", "y=2026/m=11/d=23/h=10/PT1H.json", ".git/config");
    assertThat(names(dir.toString()))
        .containsExactly("y=2026/m=11/d=23/h=09/PT1H.json", "y=2026/m=11/d=23/h=10/PT1H.json");
  }

  @Test
  void missingAndEmptyInputsAreOneLineErrors() throws IOException {
    assertThatThrownBy(() -> names(dir.resolve("nope.log").toString()))
        .isInstanceOf(InputException.class)
        .hasMessage(dir.resolve("nope.log") + ": no such file or directory");
    Files.createDirectory(dir.resolve("empty"));
    assertThatThrownBy(() -> names(dir.resolve("empty").toString()))
        .hasMessage(dir.resolve("empty") + ": directory contains no files");
  }

  @Test
  void oneLogUnderTwoNamesIsRefusedWhateverTheNameOrCompression() throws IOException {
    Path log = dir.resolve("audit.log");
    Files.copy(Path.of("testdata/demo.log"), log);
    Path gz = dir.resolve("audit-2026-01-02T03-04-05.000.log.gz");
    try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(Files.readAllBytes(log));
    }
    InputResolver resolver = new InputResolver(java.io.InputStream.nullInputStream());
    assertThatThrownBy(() -> resolver.resolve(List.of(dir.toString())))
        .isInstanceOf(InputException.class)
        .hasMessage(
            gz
                + " and "
                + log
                + " begin with the same 1024 bytes: the same log under two names (a copy or a hard"
                + " link?); each log is read once: give only one of them");
    Files.delete(gz);
    Path link = Files.createLink(dir.resolve("linked.log"), log);
    assertThatThrownBy(() -> resolver.resolve(List.of(log.toString(), link.toString())))
        .isInstanceOf(InputException.class);
    // small files may be equal without being one log (a cloud export's empty blobs)
    Files.createDirectories(dir.resolve("h=01"));
    Path empty1 = Files.writeString(dir.resolve("h=01/PT1H.json"), "{\"records\":[]}\n");
    Files.createDirectories(dir.resolve("h=02"));
    Path empty2 = Files.writeString(dir.resolve("h=02/PT1H.json"), "{\"records\":[]}\n");
    assertThat(resolver.resolve(List.of(empty1.toString(), empty2.toString()))).hasSize(2);
    // manifests may repeat: only logs are compared
    assertThat(
            InputResolver.forManifests(java.io.InputStream.nullInputStream())
                .resolve(List.of(log.toString(), link.toString())))
        .hasSize(2);
  }
}
