package dev.rbacsynth.read;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.HkermaAuditLog;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The byte-level lean decoder ({@link LeanLineDecoder}) against the parser's lean decode ({@link
 * EventDecoder#decodeNative} with usageOnly): every line it takes gives the same event, on real
 * logs and on lines changed in the ways that decide between the two (escapes, white space, repeated
 * keys, numbers, types, trailing data). It must take the apiserver's ordinary lines, or it saves
 * nothing.
 */
class LeanLineDecoderTest {

  private static final String HEAD = "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",";

  /** The lean decode of a line, or null when declined; the line is trimmed as the reader does. */
  private static Object lean(String line) {
    byte[] b = (" " + line + "\n").getBytes(UTF_8); // the line inside a larger buffer
    return EventDecoder.decodeLean(b, 1, b.length - 1);
  }

  /** Where the lean decoder takes the line, it gives what the parser gives. */
  private static boolean sameWhereTaken(String line) {
    Object lean = lean(line);
    if (lean == null) {
      return false;
    }
    assertThat(lean).as(line).isEqualTo(EventDecoding.fromBytes(line.getBytes(UTF_8), true));
    return true;
  }

  private static List<String> nativeLines(Path log) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(log, UTF_8)) {
      String t = line.strip();
      if (t.startsWith("{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/")) {
        out.add(t);
      }
    }
    return out;
  }

  @Test
  void realLinesAreTakenAndDecodedAsTheParserDecodesThem() throws IOException {
    List<String> lines = new ArrayList<>(nativeLines(HkermaAuditLog.jsonl()));
    lines.addAll(nativeLines(Path.of("testdata/demo.log")));
    int taken = 0;
    for (String line : lines) {
      taken += sameWhereTaken(line) ? 1 : 0;
    }
    assertThat(lines).hasSizeGreaterThan(1000);
    // the apiserver's own lines: all but those with non-ASCII text
    assertThat(taken).isGreaterThan(lines.size() * 9 / 10);
  }

  /**
   * Every line of every file under testdata/ and, where it is there, the shared corpus of real logs
   * this project's test data comes from (../shared/corpus): whatever the lean decoder takes (lines
   * in the apiserver's layout, in any file format), the parser decodes the same.
   */
  @Test
  void everyLineOfTheTestDataAndCorpusIsDeclinedOrDecodedAsTheParserDecodesIt() throws IOException {
    List<Path> roots = new ArrayList<>(List.of(Path.of("testdata")));
    Path corpus = Path.of("..", "shared", "corpus");
    if (Files.isDirectory(corpus)) {
      roots.add(corpus);
    }
    int files = 0;
    int taken = 0;
    for (Path root : roots) {
      List<Path> all;
      try (Stream<Path> walk = Files.walk(root)) {
        all = walk.filter(Files::isRegularFile).sorted().toList();
      }
      for (Path f : all) {
        byte[] content = Files.readAllBytes(f);
        if (f.toString().endsWith(".gz")) {
          try (GZIPInputStream z = new GZIPInputStream(new ByteArrayInputStream(content))) {
            content = z.readAllBytes();
          }
        }
        files++;
        int start = 0;
        for (int i = 0; i <= content.length; i++) {
          if (i == content.length || content[i] == '\n') {
            byte[] line = Arrays.copyOfRange(content, start, i);
            start = i + 1;
            Object lean = EventDecoder.decodeLean(line, 0, line.length);
            if (lean != null) {
              taken++;
              assertThat(lean)
                  .as(f + ": " + new String(line, UTF_8))
                  .isEqualTo(EventDecoding.fromBytes(line, true));
            }
          }
        }
      }
    }
    assertThat(files).isGreaterThan(50);
    assertThat(taken).isGreaterThan(1000);
  }

  @Test
  void changedLinesAreDeclinedOrDecodedAsTheParserDecodesThem() throws IOException {
    List<String> real = nativeLines(HkermaAuditLog.jsonl());
    List<String> samples = new ArrayList<>();
    for (int i = 0; i < real.size(); i += Math.max(1, real.size() / 40)) {
      samples.add(real.get(i));
    }
    String[][] changes = {
      {"\"verb\":\"", "\"verb\": \""},
      {",\"verb\"", ", \"verb\""},
      {"\"user\":{", "\"user\":null,\"x\":{"},
      {"\"user\":{", "\"user\":7,\"x\":{"},
      {"\"verb\":\"", "\"verb\":\"\\u0067"},
      {"\"verb\":\"", "\"verb\":\"\\ud800"},
      {"\"verb\":\"", "\"verb\":\"\\q"},
      {"\"verb\":\"", "\"verb\":\"\\/\\n\\t\\\"\\\\"},
      {"\"verb\":\"", "\"verb\":\"é"},
      {"\"verb\":\"", "\"verb\":\"\u0001"},
      {"\"verb\":\"", "\"verb\":\"\u007f"},
      {"\"verb\":", "\"verb\":null,\"verb\":"},
      {"\"verb\":\"", "\"v\\u0065rb\":\"x\",\"verb\":\""},
      {"\"verb\":", "\"verb\":12,\"y\":"},
      {"\"verb\":", "\"verb\":true,\"y\":"},
      {"\"verb\":", "\"verb\":[1],\"y\":"},
      {"\"verb\":", "\"x\":[1,-0.5e+3,0,true,false,null,{},[],{\"a\":[{}]}],\"verb\":"},
      {"\"verb\":", "\"x\":01,\"verb\":"},
      {"\"verb\":", "\"x\":1.,\"verb\":"},
      {"\"verb\":", "\"x\":-,\"verb\":"},
      {"\"verb\":", "\"x\":[1,],\"verb\":"},
      {"\"verb\":", "\"x\":{\"a\":1,},\"verb\":"},
      {"\"verb\":", "\"x\":tru,\"verb\":"},
      {"\"verb\":", "\"x\":NaN,\"verb\":"},
      {"\"code\":", "\"code\":-0,\"c\":"},
      {"\"code\":", "\"code\":2e2,\"c\":"},
      {"\"code\":", "\"code\":\"200\",\"c\":"},
      {"\"code\":", "\"code\":9999999999,\"c\":"},
      {"\"code\":", "\"code\":null,\"c\":"},
      {"\"responseStatus\":{", "\"responseStatus\":{},\"r\":{"},
      {"\"responseStatus\":{", "\"responseStatus\":null,\"r\":{"},
      {"\"objectRef\":{", "\"objectRef\":null,\"o\":{"},
      {"\"objectRef\":{", "\"objectRef\":{\"apiVersion\":\"apps/v1\"},\"o\":{"},
      {
        "\"objectRef\":{", "\"objectRef\":{\"name\":\"a\",\"name\":\"b\",\"resource\":null},\"o\":{"
      },
      {"\"groups\":[", "\"groups\":[1,null,{\"a\":2},"},
      {"\"groups\":[", "\"groups\":\"x\",\"g\":["},
      {"\"username\":", "\"uid\":\"u\",\"extra\":{\"k\":[\"v\"]},\"username\":"},
      {
        "\"user\":{",
        "\"impersonatedUser\":{\"username\":\"bob\",\"uid\":\"1\",\"groups\":[\"g\"],"
            + "\"extra\":{\"a\\\"b\":[\"x\",1],\"c\":\"s\",\"a\\\"b\":[]}},\"user\":{"
      },
      {"\"user\":{", "\"impersonatedUser\":null,\"user\":{"},
      {"\"user\":{", "\"impersonatedUser\":\"x\",\"user\":{"},
      {"\"user\":{", "\"authenticationMetadata\":{\"impersonationConstraint\":\"c\"},\"user\":{"},
      {
        "\"user\":{",
        "\"annotations\":{\"authorization_k8s_io/decision\":\"forbid\","
            + "\"authorization.k8s.io/decision\":7},\"user\":{"
      },
      {"\"user\":{", "\"annotations\":{},\"user\":{"},
      {"\"user\":{", "\"annotations\":null,\"user\":{"},
      {
        "\"user\":{",
        "\"requestObject\":{\"roleRef\":{\"kind\":\"ClusterRole\",\"name\":\"admin\"},"
            + "\"spec\":{\"signerName\":\"s\",\"x\":[{}]}},\"user\":{"
      },
      {
        "\"user\":{",
        "\"requestObject\":{\"roleRef\":{\"kind\":{},\"name\":[1]},\"spec\":\"x\"},\"user\":{"
      },
      {
        "\"user\":{", "\"requestObject\":{\"roleRef\":\"x\",\"spec\":{\"signerName\":1}},\"user\":{"
      },
      {"\"user\":{", "\"requestObject\":null,\"user\":{"},
      {"\"user\":{", "\"responseObject\":{\"spec\":{\"signerName\":\"t\"}},\"user\":{"},
      {"\"user\":{", "\"responseObject\":{\"spec\":null},\"user\":{"},
      {"\"requestReceivedTimestamp\":", "\"requestReceivedTimestamp\":null,\"t\":"},
      {"\"stageTimestamp\":\"", "\"stageTimestamp\":\"x"},
      {"\"kind\":\"Event\"", "\"kind\":\"Event\",\"kind\":\"List\""},
    };
    int taken = 0;
    int declined = 0;
    for (String line : samples) {
      for (String[] c : changes) {
        int at = line.indexOf(c[0]);
        if (at < 0) {
          continue;
        }
        String changed = line.substring(0, at) + c[1] + line.substring(at + c[0].length());
        if (sameWhereTaken(changed)) {
          taken++;
        } else {
          declined++;
        }
      }
      for (String tail : new String[] {" ", "x", "}", "{}", ",", "\u0000"}) {
        assertThat(lean(line + tail)).as(tail).isNull();
      }
      for (int cut = line.length() - 1; cut > line.length() - 40; cut--) {
        assertThat(lean(line.substring(0, cut))).isNull();
      }
    }
    assertThat(taken).isPositive();
    assertThat(declined).isPositive();
  }
}
