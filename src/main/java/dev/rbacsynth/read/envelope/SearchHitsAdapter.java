package dev.rbacsynth.read.envelope;

import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.read.EnvelopeAdapter;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * Elasticsearch / OpenSearch exports: a {@code _search} response {@code {"hits":{"hits":[...]}}}
 * and single documents with their metadata ({@code {"_index":..., "_id":..., "_source":{...}}}, as
 * {@code GET index/_doc/id} and dump tools write them). Each {@code _source} is read again: it is
 * usually a {@link ShipperDocumentAdapter log shipper document} or an Event.
 */
final class SearchHitsAdapter implements EnvelopeAdapter {

  @Override
  public String format() {
    return "Elasticsearch/OpenSearch hit";
  }

  @Override
  public boolean recognizes(JsonNode node) {
    return node.path("hits").path("hits").isArray() || node.path("_source").isObject();
  }

  @Override
  public void unwrap(JsonNode node, Consumer<JsonNode> nested, Consumer<AuditEvent> events) {
    if (node.path("_source").isObject()) {
      nested.accept(node.get("_source"));
    } else {
      node.get("hits").get("hits").forEach(nested);
    }
  }
}
