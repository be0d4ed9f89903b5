package dev.rbacsynth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 §2: gzip files as rotation, shippers and accidents make them. The demo log is split into
 * members (lines 1-12, 13-25, 26-37), which are then concatenated, damaged, cut or followed by
 * plain lines; nothing after a member may be lost without a word.
 */
class GzipEdgeCasesTest {
  @TempDir Path dir;

  private static List<String> demo() throws IOException {
    return Files.readAllLines(Path.of("testdata/demo.log"));
  }

  private static byte[] gzip(List<String> lines) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private RecordLayoutTest.Found read(byte[] bytes) throws IOException {
    return RecordLayoutTest.read(Files.write(dir.resolve("audit.log.1.gz"), bytes));
  }

  private static byte[][] members() throws IOException {
    List<String> demo = demo();
    return new byte[][] {
      gzip(demo.subList(0, 12)), gzip(demo.subList(12, 25)), gzip(demo.subList(25, 37))
    };
  }

  @Test
  void concatenatedMembersAreAllRead() throws IOException {
    byte[][] m = members();
    RecordLayoutTest.Found found = read(concat(m[0], m[1], m[2]));
    assertThat(found.problems()).isEmpty();
    assertThat(found.events()).hasSize(37).containsValues(1L, 13L, 26L, 37L);
  }

  private static List<String> ids(List<String> lines) {
    return lines.stream().map(l -> l.replaceFirst(".*?\"auditID\":\"([^\"]+)\".*", "$1")).toList();
  }

  @Test
  void aGoodMemberAfterACorruptOneIsRead() throws IOException {
    byte[][] m = members();
    List<String> demo = demo();
    // Corrupt the middle member three ways: a reserved block type at once, garbage in the middle
    // of its data, and the member cut short and followed by the next (a writer killed mid-way).
    byte[] reserved = m[1].clone();
    Arrays.fill(reserved, 10, reserved.length - 8, (byte) 0xFF);
    byte[] middle = m[1].clone();
    Arrays.fill(middle, middle.length / 2, middle.length / 2 + 40, (byte) 0xA5);
    byte[] cut = Arrays.copyOf(m[1], m[1].length / 2);
    for (byte[] bad : List.of(reserved, middle, cut)) {
      RecordLayoutTest.Found found = read(concat(m[0], bad, m[2]));
      assertThat(found.events().keySet())
          .containsAll(ids(demo.subList(0, 12)))
          .containsAll(ids(demo.subList(25, 37)));
      assertThat(found.problems())
          .anySatisfy(
              p ->
                  assertThat(p)
                      .startsWith("0: corrupt gzip data in the member at byte " + m[0].length)
                      .endsWith(
                          "reading resumed at the next gzip member, at byte "
                              + (m[0].length + bad.length)));
    }
  }

  @Test
  void aCorruptLastMemberSaysTheRestIsLost() throws IOException {
    byte[][] m = members();
    byte[] reserved = m[2].clone();
    Arrays.fill(reserved, 10, reserved.length, (byte) 0xFF);
    RecordLayoutTest.Found found = read(concat(m[0], m[1], reserved));
    assertThat(found.events()).hasSize(25);
    assertThat(found.problems())
        .singleElement()
        .asString()
        .startsWith("0: corrupt gzip data in the member at byte " + (m[0].length + m[1].length))
        .contains("; the rest of the file (from byte ")
        .endsWith(") is lost");
  }

  @Test
  void plainLinesAfterAGzipMemberAreRead() throws IOException {
    byte[][] m = members();
    List<String> demo = demo();
    byte[] plain =
        (String.join("\n", demo.subList(12, 37)) + "\n").getBytes(StandardCharsets.UTF_8);
    RecordLayoutTest.Found found = read(concat(m[0], plain));
    assertThat(found.problems()).isEmpty();
    assertThat(found.events()).hasSize(37).containsValues(1L, 13L, 37L);
    // ... and between members, and with the block padding some writers leave.
    found = read(concat(m[0], plain, m[2], new byte[512]));
    assertThat(found.problems()).isEmpty();
    assertThat(found.events()).hasSize(37);
  }

  @Test
  void aTruncatedFileKeepsWhatCameBeforeTheCut() throws IOException {
    byte[][] m = members();
    byte[] all = concat(m[0], m[1], m[2]);
    RecordLayoutTest.Found found = read(Arrays.copyOf(all, m[0].length + m[1].length + 30));
    assertThat(found.events().keySet()).containsAll(ids(demo().subList(0, 25)));
    assertThat(found.problems())
        .contains(
            "0: unexpected end of compressed data (truncated gzip?) in the member at byte "
                + (m[0].length + m[1].length));
  }

  @Test
  void aMemberThatFailsItsChecksumIsReported() throws IOException {
    byte[][] m = members();
    byte[] badCrc = m[1].clone();
    badCrc[badCrc.length - 8] ^= 0x5A;
    RecordLayoutTest.Found found = read(concat(m[0], badCrc, m[2]));
    assertThat(found.events()).hasSize(37);
    assertThat(found.problems())
        .containsExactly(
            "0: gzip member at byte "
                + m[0].length
                + " does not match its checksum: its data may be corrupt");
  }
}
