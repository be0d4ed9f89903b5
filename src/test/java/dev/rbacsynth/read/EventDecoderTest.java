package dev.rbacsynth.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rbacsynth.Cli;
import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.event.UserInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A log line the apiserver wrote is decoded straight from its bytes ({@link
 * EventDecoder#decodeNative}); the same object inside an envelope or a YAML file is decoded from
 * its tree ({@link EventDecoder#decode(JsonNode)}). Both must give the same event, or the same
 * error, for every line: the real logs in {@code testdata/} and lines built to hit the lenient
 * corners (numbers where strings belong, wrong types, repeated keys).
 */
class EventDecoderTest {

  private static final String HEAD = "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",";

  private static Object fromBytes(String line) {
    return EventDecoding.fromBytes(line.getBytes(StandardCharsets.UTF_8));
  }

  private static Object fromTree(String line) {
    return EventDecoding.fromTree(AuditLogReader.Jackson.MAPPER.readTree(line));
  }

  /** The lean decode (collect's) of a line: what usage is made of, as the full decode has it. */
  private static Object lean(String line) {
    return EventDecoding.fromBytes(line.getBytes(StandardCharsets.UTF_8), true);
  }

  private static AuditEvent decoded(String fields) {
    Object bytes = fromBytes(HEAD + fields + "}");
    assertThat(bytes).isEqualTo(fromTree(HEAD + fields + "}")).isInstanceOf(AuditEvent.class);
    assertThat(lean(HEAD + fields + "}")).isEqualTo(EventDecoding.usageView(bytes));
    return (AuditEvent) bytes;
  }

  @Test
  void everyRealEventDecodesTheSameFromBytesAndFromItsTree() throws IOException {
    List<Path> logs = new ArrayList<>(List.of(Path.of("testdata/demo.log")));
    try (Stream<Path> files = Files.list(Path.of("testdata/semantics"))) {
      files.sorted().forEach(logs::add);
    }
    try (Stream<Path> files = Files.list(Path.of("testdata/formats"))) {
      files.filter(f -> f.toString().endsWith(".jsonl")).sorted().forEach(logs::add);
    }
    int native_ = 0;
    for (Path log : logs) {
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        if (!line.startsWith(HEAD)) {
          continue;
        }
        native_++;
        assertThat(fromBytes(line)).as("%s: %s", log, line).isEqualTo(fromTree(line));
        assertThat(lean(line))
            .as("lean, %s: %s", log, line)
            .isEqualTo(EventDecoding.usageView(fromBytes(line)));
      }
    }
    assertThat(native_).as("lines in the apiserver's own layout").isGreaterThan(80);
  }

  @Test
  void numbersAndBooleansReadAsTheirTreeText() {
    AuditEvent event =
        decoded("\"auditID\":1.50,\"stage\":true,\"user\":{\"username\":7,\"groups\":[\"g\",1]}");
    assertThat(event.auditID()).isEqualTo("1.5");
    assertThat(event.user()).isEqualTo(new UserInfo("7", "", List.of("g"), Map.of()));
  }

  @Test
  void wrongTypesAreReportedInTheTreeDecodersOrder() {
    String line = HEAD + "\"objectRef\":[],\"user\":\"bob\",\"requestURI\":{},\"verb\":1}";
    assertThat(fromBytes(line))
        .isEqualTo(fromTree(line))
        .isEqualTo("field \"verb\" must be a string");
    assertThatThrownBy(() -> EventDecoder.decode(AuditLogReader.Jackson.MAPPER.readTree(line)))
        .isInstanceOf(IllegalArgumentException.class);
    String objectRef = HEAD + "\"objectRef\":\"pods\"}";
    assertThat(fromBytes(objectRef)).isEqualTo("field \"objectRef\" must be an object");
  }

  @Test
  void theLeanDecodeKeepsTheDecisionWhicheverWayItsKeyIsWritten() {
    // as written, with the shipper's "_" (repaired), both (the dotted one wins), repeated (the
    // last wins), not a string (dropped), and a key that only looks like it
    for (String annotations :
        List.of(
            "{\"authorization.k8s.io/decision\":\"allow\",\"authorization.k8s.io/reason\":\"r\"}",
            "{\"authorization_k8s_io/decision\":\"forbid\"}",
            "{\"authorization_k8s_io/decision\":\"forbid\",\"authorization.k8s.io/decision\":\"allow\"}",
            "{\"authorization.k8s_io/decision\":\"a\",\"authorization_k8s.io/decision\":\"b\"}",
            "{\"authorization.k8s.io/decision\":\"allow\",\"authorization.k8s.io/decision\":3}",
            "{\"authorization.k8s.io/decision\":3,\"authorization.k8s.io/decision\":\"forbid\"}",
            "{\"authorization.k8s.io/decisioN\":\"allow\",\"x/decision\":\"allow\"}",
            "{\"authorization.k8s.io/decision_\":\"allow\"}")) {
      AuditEvent full =
          decoded(
              "\"user\":{\"username\":\"u\",\"uid\":\"1\",\"extra\":{\"k\":[\"v\"]}},"
                  + "\"annotations\":"
                  + annotations);
      AuditEvent lean = (AuditEvent) lean(HEAD + "\"annotations\":" + annotations + "}");
      assertThat(lean.decision()).as(annotations).isEqualTo(full.decision());
    }
  }

  @Test
  void theLeanDecodeKeepsAllOfAnImpersonatedUser() {
    String line =
        HEAD
            + "\"user\":{\"username\":\"admin\",\"uid\":\"1\",\"extra\":{\"k\":[\"v\"]}},"
            + "\"impersonatedUser\":{\"username\":\"bob\",\"uid\":\"2\",\"extra\":{\"scopes\":[\"a\"]}}}";
    AuditEvent lean = (AuditEvent) lean(line);
    assertThat(lean.impersonatedUser())
        .isEqualTo(new UserInfo("bob", "2", List.of(), Map.of("scopes", List.of("a"))));
    assertThat(lean.user()).isEqualTo(UserInfo.of("admin", List.of()));
  }

  @Test
  void theLastOfARepeatedKeyWins() {
    AuditEvent event =
        decoded(
            "\"verb\":5,\"verb\":\"get\",\"user\":{\"username\":\"a\"},\"user\":{\"username\":\"b\"},"
                + "\"annotations\":{\"x\":\"1\",\"y\":\"2\",\"x\":3},"
                + "\"responseStatus\":{\"code\":500},\"responseStatus\":{\"reason\":\"Forbidden\"}");
    assertThat(event.verb()).isEqualTo("get");
    assertThat(event.user().username()).isEqualTo("b");
    assertThat(event.annotations()).isEqualTo(Map.of("y", "2"));
    assertThat(event.responseCode()).isZero();
    assertThat(event.responseReason()).isEqualTo("Forbidden");
  }

  @Test
  void aRepeatedKindSendsTheLineToTheTreePath() {
    String list = HEAD + "\"items\":[],\"kind\":\"EventList\"}";
    assertThat(fromBytes(list)).isEqualTo(EventDecoding.TREE_PATH);
  }

  /** What a reader says about such lines: the tree path's words, at the right line. */
  @Test
  void theReaderReportsAndDispatchesAsForAnyLine(@TempDir Path dir) throws IOException {
    String event = Files.readAllLines(Path.of("testdata/demo.log")).get(0);
    assertThat(event).startsWith(HEAD);
    String wrongVerb = event.replaceFirst("\"verb\":\"[a-z]+\"", "\"verb\":[]");
    String list = HEAD + "\"items\":[" + event + "],\"kind\":\"EventList\"}";
    Path log = Files.writeString(dir.resolve("audit.log"), wrongVerb + "\n" + list + "\n");
    Cli.Result r = Cli.run("-f", log.toString(), "--user", "system:admin", "--exact");
    assertThat(r.err())
        .contains(log + ":1: invalid audit Event: field \"verb\" must be a string")
        .contains("1 events matched");
  }

  @Test
  void lenientCornersMatchTheTree() {
    decoded("\"impersonatedUser\":null,\"authenticationMetadata\":\"x\"");
    decoded("\"impersonatedUser\":\"bob\",\"objectRef\":null,\"user\":null");
    decoded("\"responseStatus\":{\"code\":\"403\",\"message\":{\"a\":1}}");
    decoded("\"responseStatus\":{\"code\":4000000000}");
    decoded("\"responseStatus\":{\"code\":403.0},\"annotations\":[]");
    decoded("\"timestamp\":\"2026-01-02T03:04:05Z\",\"stageTimestamp\":\"2026-01-02T03:04:06Z\"");
    decoded("\"requestObject\":{\"roleRef\":\"x\",\"spec\":{\"signerName\":5}}");
    decoded("\"user\":{\"extra\":{\"a\":[\"1\",2],\"b\":\"c\",\"a\":[\"3\"]},\"extra\":7}");
    AuditEvent event =
        decoded(
            "\"objectRef\":{\"resource\":\"deployments\",\"apiVersion\":\"apps/v1beta1\"},"
                + "\"requestObject\":{\"kind\":\"RoleBinding\",\"roleRef\":{\"kind\":\"ClusterRole\","
                + "\"name\":\"admin\"},\"subjects\":[{\"kind\":\"User\",\"name\":\"x\"}]},"
                + "\"annotations\":{\"authorization_k8s_io/decision\":\"allow\"}");
    assertThat(event.objectRef().apiGroup()).isEqualTo("apps");
    assertThat(event.requestObject().roleRefName()).isEqualTo("admin");
    assertThat(event.annotations()).containsEntry(AuditEvent.DECISION, "allow");
  }

  /**
   * A surrogate written as UTF-8 ({@code ED A0 80}) in a string the bytes path skips: {@code
   * readTree} rejects the line ("Invalid UTF-8: Illegal surrogate character 0xd800"), and so must
   * the bytes path, which then leaves the line to the tree path to report as malformed JSON ({@code
   * skipChildren} alone does not look inside strings).
   */
  @Test
  void aSurrogateInASkippedStringIsMalformedAsForTheTree() {
    byte[] head = (HEAD + "\"userAgent\":\"").getBytes(StandardCharsets.UTF_8);
    byte[] tail = "\",\"verb\":\"get\"}".getBytes(StandardCharsets.UTF_8);
    byte[] line = new byte[head.length + 3 + tail.length];
    System.arraycopy(head, 0, line, 0, head.length);
    line[head.length] = (byte) 0xED;
    line[head.length + 1] = (byte) 0xA0;
    line[head.length + 2] = (byte) 0x80;
    System.arraycopy(tail, 0, line, head.length + 3, tail.length);

    assertThatThrownBy(() -> EventDecoding.readTree(line)).isInstanceOf(JacksonException.class);
    assertThat(EventDecoding.fromBytes(line)).isEqualTo(EventDecoding.TREE_PATH);
  }
}
