package dev.rbacsynth.read;

import dev.rbacsynth.event.AuditEvent;
import java.util.List;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * Turns a vendor or log-shipper envelope (GKE LogEntry, AKS diagnostic record, EKS CloudWatch
 * export, Elasticsearch document, ...) into audit events. Adapters are small; the rest of the
 * pipeline never sees the envelope.
 */
public interface EnvelopeAdapter {

  /** Short name of the format, used when saying what was detected. */
  String format();

  boolean recognizes(JsonNode node);

  /**
   * Unwraps {@code node}. Nested records (an Event as a JSON string, a batch of records) go to
   * {@code nested} and are dispatched again; mapped events go to {@code events}.
   *
   * @throws IllegalArgumentException with a one-line reason when the envelope is recognised but
   *     cannot be mapped
   */
  void unwrap(JsonNode node, Consumer<JsonNode> nested, Consumer<AuditEvent> events);

  /**
   * Warnings about the input as a whole, from what {@link #unwrap} saw since the last call (which
   * counts again from zero): asked once after the input is read, each shown once on stderr. None by
   * default.
   */
  default List<String> warnings() {
    return List.of();
  }
}
