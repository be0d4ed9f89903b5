package dev.rbacsynth.read.envelope;

import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.read.EnvelopeAdapter;
import dev.rbacsynth.read.Json;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * AKS control-plane logs as Azure Monitor diagnostic records: Event Hub batches {@code
 * {"records":[...]}} and single records (storage-account export, one per line), each {@code
 * {"category":"kube-audit", "properties":{"log": "<Event JSON>", "pod":..., "stream":...},
 * "time":..., "resourceId":...}}. {@code properties.log} may also be an object. Records of other
 * categories (kube-apiserver, guard, cluster-autoscaler, ...) are skipped. An input of
 * kube-audit-admin records alone is warned about: that category has no get or list request.
 */
final class AksDiagnosticAdapter implements EnvelopeAdapter {

  static final Set<String> AUDIT_CATEGORIES = Set.of("kube-audit", "kube-audit-admin");

  private final AksCategories categories = new AksCategories();

  @Override
  public String format() {
    return "AKS diagnostic record";
  }

  @Override
  public boolean recognizes(JsonNode node) {
    return node.path("records").isArray()
        || (node.path("category").isString()
            && (node.has("properties") || node.has("operationName") || node.has("resourceId")));
  }

  @Override
  public void unwrap(JsonNode node, Consumer<JsonNode> nested, Consumer<AuditEvent> events) {
    if (node.path("records").isArray()) {
      node.get("records").forEach(nested);
      return;
    }
    String category = Json.text(node, "category");
    if (!isAuditCategory(category)) {
      return;
    }
    categories.count(category);
    JsonNode log = node.path("properties").get("log");
    if (log == null || log.isNull()) {
      throw new IllegalArgumentException("properties.log is missing");
    }
    nested.accept(EmbeddedJson.document(log, "properties.log"));
  }

  /** A warning when every audit record read was of the kube-audit-admin category. */
  @Override
  public List<String> warnings() {
    return categories.drain();
  }

  static boolean isAuditCategory(String category) {
    return AUDIT_CATEGORIES.contains(category.toLowerCase(Locale.ROOT));
  }
}
