package dev.rbacsynth.read.envelope;

import dev.rbacsynth.yaml.YamlDocuments;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Helpers shared by the adapters: parsing a JSON document held in a string field, and dotted field
 * paths.
 */
final class EmbeddedJson {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private EmbeddedJson() {}

  /**
   * Parses the JSON text held in field {@code what}.
   *
   * @throws IllegalArgumentException with a one-line reason when the text is not JSON
   */
  static JsonNode parse(String text, String what) {
    try {
      return MAPPER.readTree(text);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          what + " is not a JSON document: " + YamlDocuments.oneLine(e.getOriginalMessage()));
    }
  }

  /**
   * The record held in field {@code what}: the object itself, or the JSON document its string
   * holds.
   *
   * @throws IllegalArgumentException when it is neither, or the string is not JSON
   */
  static JsonNode document(JsonNode value, String what) {
    if (value.isObject()) {
      return value;
    }
    if (value.isString()) {
      return parse(value.stringValue(), what);
    }
    throw new IllegalArgumentException(what + " must be a JSON string or object");
  }

  /** True when {@code value} is a string whose text starts like a JSON object. */
  static boolean holdsObject(JsonNode value) {
    return value != null && value.isString() && value.stringValue().stripLeading().startsWith("{");
  }

  /**
   * The value at a dotted path such as {@code event.original}: either a field literally named so
   * (as flattened exports write it) or the nested fields. Null when absent.
   */
  static JsonNode at(JsonNode node, String dottedPath) {
    JsonNode literal = node.get(dottedPath);
    if (literal != null) {
      return literal;
    }
    JsonNode current = node;
    for (String part : dottedPath.split("\\.", -1)) {
      current = current.get(part);
      if (current == null) {
        return null;
      }
    }
    return current;
  }

  static JsonMapper mapper() {
    return MAPPER;
  }
}
