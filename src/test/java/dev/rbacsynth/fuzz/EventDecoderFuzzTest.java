package dev.rbacsynth.fuzz;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import dev.rbacsynth.read.EventDecoder;
import dev.rbacsynth.read.EventDecoding;
import dev.rbacsynth.read.Json;
import org.junit.jupiter.api.Timeout;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Fuzzes the streaming Event decoder: a log line in the apiserver's layout is decoded from its bytes
 * ({@code EventDecoder.decodeNative}); whenever that path takes the line, it must give the event,
 * or the error message, that the tree path ({@code EventDecoder.decode} of the line's tree) gives.
 * The non-fuzzed counterpart is {@code EventDecoderTest}. (While the streaming decoder was written,
 * this target also compared both with the tree decoder it replaced, commit 39ff3be: 3.2 million
 * runs, no difference but the UTF-8 one that {@code EventDecoder.skipValue} now closes.)
 *
 * <p>Input: the rest of a JSON object after {@code {"kind":"Event","apiVersion":"audit.k8s.io/v1",}.
 * A line that is not JSON to Jackson's {@code readTree} must be declined by the bytes path too.
 *
 * <p>A plain {@code mvn test} replays the saved inputs under {@code
 * src/test/resources/dev/rbacsynth/fuzz/EventDecoderFuzzTestInputs/<method>/} once. Fuzzing is
 * started by hand:
 *
 * <pre>
 * mvn -B -Pfuzz test -Dtest='EventDecoderFuzzTest' -Dfuzz.duration=60s
 * </pre>
 *
 * The generated corpus goes to {@code .cifuzz-corpus/}; a crashing input is written to the inputs
 * directory above.
 */
@Timeout(30) // per input: JUnit applies it in regression mode, Jazzer passes it to libFuzzer
class EventDecoderFuzzTest {

  private static final byte[] HEAD =
      "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",".getBytes(UTF_8);

  @FuzzTest
  void bytesDecodeAsTheTree(byte @NotNull [] data) {
    byte[] line = Reading.concat(HEAD, data);
    JsonNode tree;
    try {
      tree = EventDecoding.readTree(line);
    } catch (JacksonException e) {
      // Not JSON to a full parse, so not to the bytes path either: the reader's tree path reports
      // it.
      assertEquals(
          EventDecoding.TREE_PATH,
          EventDecoding.fromBytes(line),
          () -> "the tree rejects it (" + e.getOriginalMessage() + "): " + new String(line, UTF_8));
      return;
    }
    String kind = Json.text(tree, "kind");
    boolean list =
        (kind.equals("EventList") || kind.equals("List")) && tree.path("items").isArray();
    boolean treeDecodes = EventDecoder.looksLikeEvent(tree) && !list; // as RecordDispatcher
    Object bytes = EventDecoding.fromBytes(line);
    String text = new String(line, UTF_8);

    if (bytes != EventDecoding.TREE_PATH) {
      assertTrue(treeDecodes, () -> "decoded from bytes, but the tree is no Event: " + text);
      assertEquals(EventDecoding.fromTree(tree), bytes, () -> "bytes vs tree: " + text);
    }
    // the lean decode (collect's) takes the same lines and keeps what usage is made of
    assertEquals(
        EventDecoding.usageView(bytes),
        EventDecoding.fromBytes(line, true),
        () -> "lean vs full: " + text);
  }
}
