package dev.rbacsynth.write;

import java.io.Writer;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.StreamWriteFeature;
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

  /**
   * A generator that writes as {@link #write} does (same indentation), for a document too large to
   * hold: values written with {@link JsonGenerator#writePOJO} come out as {@link #write} would
   * write them in place. Closing it flushes {@code out} but does not close it.
   */
  public static JsonGenerator generator(Writer out) {
    return MAPPER.createGenerator(out).configure(StreamWriteFeature.AUTO_CLOSE_TARGET, false);
  }

  /** {@code value} (maps, lists, strings, numbers, booleans, null) as indented JSON and "\n". */
  public static String write(Object value) {
    return MAPPER.writeValueAsString(value) + "\n";
  }
}
