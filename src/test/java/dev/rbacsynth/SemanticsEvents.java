package dev.rbacsynth;

import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.read.EventDecoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The real event shapes of semantics.md §9 (testdata/semantics/case-NN.jsonl), decoded as the
 * reader decodes them, and variants of them: a case's event with a few fields changed, so a test
 * states only what differs from the documented case.
 */
public final class SemanticsEvents {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private SemanticsEvents() {}

  /** The last event of case {@code n}: the final stage of its request. */
  public static AuditEvent of(int n) {
    return variant(n);
  }

  /** The last event of case {@code n} after {@code edits} changed its JSON, in order. */
  @SafeVarargs
  public static AuditEvent variant(int n, Consumer<ObjectNode>... edits) {
    List<String> lines = lines(n);
    ObjectNode json = (ObjectNode) MAPPER.readTree(lines.get(lines.size() - 1));
    for (Consumer<ObjectNode> edit : edits) {
      edit.accept(json);
    }
    return EventDecoder.decode(json);
  }

  /** Sets a top-level string field ({@code verb}, {@code requestURI}, ...). */
  public static Consumer<ObjectNode> set(String field, String value) {
    return json -> json.put(field, value);
  }

  /** Removes a top-level field ({@code requestObject}, {@code annotations}, ...). */
  public static Consumer<ObjectNode> without(String field) {
    return json -> json.remove(field);
  }

  /** Sets a string field of a nested object, by JSON pointer ({@code /objectRef}, "name"). */
  public static Consumer<ObjectNode> set(String object, String field, String value) {
    return json -> json.withObject(object).put(field, value);
  }

  /** Replaces a nested object ({@code /impersonatedUser}) with the given JSON. */
  public static Consumer<ObjectNode> replace(String field, String objectJson) {
    return json -> json.set(field, MAPPER.readTree(objectJson));
  }

  /** Every event of case {@code n}, in file order. */
  public static List<AuditEvent> all(int n) {
    return lines(n).stream().map(l -> EventDecoder.decode(MAPPER.readTree(l))).toList();
  }

  /** Sets {@code responseStatus.code}. */
  public static Consumer<ObjectNode> code(int code) {
    return json -> json.withObject("/responseStatus").put("code", code);
  }

  /** Sets the {@code authorization.k8s.io/decision} annotation; "" removes it. */
  public static Consumer<ObjectNode> decision(String decision) {
    return json -> {
      ObjectNode annotations = json.withObject("/annotations");
      if (decision.isEmpty()) {
        annotations.remove("authorization.k8s.io/decision");
      } else {
        annotations.put("authorization.k8s.io/decision", decision);
      }
    };
  }

  private static List<String> lines(int n) {
    Path file = Path.of("testdata/semantics/case-%02d.jsonl".formatted(n));
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
          .filter(l -> !l.isBlank())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
