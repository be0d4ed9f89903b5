package dev.rbacsynth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.read.ParallelReader;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 §2: a line over 64 MiB is reported at its line, in a file of any size: also in a file
 * over 128 MiB, which is read in parallel segments (a long line at the end of a segment, or of the
 * file, once disappeared without a word). The files are written here, streaming, and deleted.
 */
class LongLineTest {
  private static final long MIB = 1 << 20;

  @TempDir Path dir;

  /**
   * A real event (a line of the demo log) with its audit ID replaced by {@code id} and a ConfigMap
   * body, {@code size} bytes in all.
   */
  private static void writeLongEvent(OutputStream out, String event, String id, long size)
      throws IOException {
    String renamed = event.replaceFirst("\"auditID\":\"[^\"]*\"", "\"auditID\":\"" + id + "\"");
    String head =
        renamed.substring(0, renamed.length() - 1)
            + ",\"requestObject\":{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"data\":{\"blob\":\"";
    out.write(head.getBytes(StandardCharsets.UTF_8));
    byte[] block = new byte[1 << 20];
    Arrays.fill(block, (byte) 'x');
    long left = size - head.length() - 4;
    while (left > 0) {
      int n = (int) Math.min(block.length, left);
      out.write(block, 0, n);
      left -= n;
    }
    out.write("\"}}}".getBytes(StandardCharsets.UTF_8));
  }

  private Path file(String name, long longLine, boolean twoLongLines) throws IOException {
    List<String> demo = Files.readAllLines(Path.of("testdata/demo.log"));
    Path file = dir.resolve(name);
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      for (String line : demo.subList(0, 10)) {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      }
      writeLongEvent(out, demo.get(0), "long-11", longLine); // line 11
      out.write('\n');
      for (String line : demo.subList(10, 37)) { // lines 12 to 38
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      }
      if (twoLongLines) {
        writeLongEvent(out, demo.get(1), "long-39", longLine); // line 39, the last, with no newline
      }
    }
    return file;
  }

  @Test
  void linesOver64MibInAFileOver128MibAreReportedWhereverTheyAre() throws IOException {
    Path file = file("big.log", 65 * MIB, true);
    assertThat(Files.size(file)).isGreaterThan(128 * MIB);
    for (int threads : new int[] {2, 1}) {
      RecordLayoutTest.Found found =
          RecordLayoutTest.read(file, true, threads, ParallelReader.MIN_SEGMENT);
      assertThat(found.events()).as("%d readers", threads).hasSize(37).doesNotContainKey("long-11");
      assertThat(found.problems())
          .as("%d readers", threads)
          .containsExactlyInAnyOrder(
              "11: line longer than 64 MiB, skipped", "39: line longer than 64 MiB, skipped");
    }
    Files.delete(file);
  }

  @Test
  void aLineOver64MibInASmallerFileIsReportedToo() throws IOException {
    Path file = file("small.log", 64 * MIB + 1, false);
    assertThat(Files.size(file)).isLessThan(128 * MIB);
    RecordLayoutTest.Found found = RecordLayoutTest.read(file);
    assertThat(found.events()).hasSize(37);
    assertThat(found.problems()).containsExactly("11: line longer than 64 MiB, skipped");
    Files.delete(file);
  }

  @Test
  void aLineOfExactly64MibIsRead() throws IOException {
    Path file = file("limit.log", 64 * MIB - 1, false); // with its newline: 64 MiB
    RecordLayoutTest.Found found =
        RecordLayoutTest.read(file, false, 1, ParallelReader.MIN_SEGMENT);
    assertThat(found.problems()).isEmpty();
    assertThat(found.events()).hasSize(38).containsEntry("long-11", 11L);
  }
}
