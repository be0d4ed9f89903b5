package dev.rbacsynth.read.envelope;

import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.read.EnvelopeAdapter;
import dev.rbacsynth.read.EventDecoder;
import java.util.List;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * A document written by a log shipper (Filebeat / Elastic Agent, Fluentd, Fluent Bit, Logstash,
 * Vector) that holds the Event in one field, looked for in this order:
 *
 * <ul>
 *   <li>{@code kubernetes.audit}: the Elastic Kubernetes integration (its de-dotted annotation keys
 *       are repaired by the Event decoder);
 *   <li>{@code json}: Filebeat's JSON decoding target;
 *   <li>{@code log}: Fluentd / Fluent Bit container-log records, a JSON string (Filebeat's {@code
 *       log} object with the file path is not an Event and is passed over);
 *   <li>{@code event.original}: ECS, the raw line as a string;
 *   <li>{@code message}: the raw line as a string.
 * </ul>
 *
 * Documents whose Event fields sit at the root are native Events and never reach this adapter.
 */
final class ShipperDocumentAdapter implements EnvelopeAdapter {

  private static final List<String> FIELDS =
      List.of("kubernetes.audit", "json", "log", "event.original", "message");

  @Override
  public String format() {
    return "log shipper document";
  }

  @Override
  public boolean recognizes(JsonNode node) {
    return find(node) != null;
  }

  @Override
  public void unwrap(JsonNode node, Consumer<JsonNode> nested, Consumer<AuditEvent> events) {
    String field = find(node);
    nested.accept(EmbeddedJson.document(EmbeddedJson.at(node, field), field));
  }

  /** The first field that holds an Event object or JSON object text, or null. */
  private static String find(JsonNode node) {
    for (String field : FIELDS) {
      JsonNode value = EmbeddedJson.at(node, field);
      if (value != null
          && (EmbeddedJson.holdsObject(value) || EventDecoder.looksLikeEvent(value))) {
        return field;
      }
    }
    return null;
  }
}
