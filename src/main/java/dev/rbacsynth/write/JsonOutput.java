package dev.rbacsynth.write;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one mapper every JSON output goes through (manifests, the diff report, the denied report):
 * two-space indentation, keys in the order the maps give them, and a final newline.
 */
public final class JsonOutput {
  private static final JsonMapper MAPPER =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private JsonOutput() {}

  /** {@code value} (maps, lists, strings, numbers, booleans, null) as indented JSON and "\n". */
  public static String write(Object value) {
    return MAPPER.writeValueAsString(value) + "\n";
  }
}
