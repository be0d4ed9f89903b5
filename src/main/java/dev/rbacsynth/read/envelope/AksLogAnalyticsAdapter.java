package dev.rbacsynth.read.envelope;

import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.read.EnvelopeAdapter;
import dev.rbacsynth.read.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * AKS audit logs exported from a Log Analytics workspace:
 *
 * <ul>
 *   <li>{@code AzureDiagnostics} rows: {@code Category} kube-audit / kube-audit-admin and the Event
 *       as the JSON string {@code log_s} (other categories are skipped);
 *   <li>resource-specific {@code AKSAudit} / {@code AKSAuditAdmin} rows, whose columns are the
 *       Event's fields in PascalCase ({@code AuditId}, {@code RequestUri}, {@code Verb}, {@code
 *       User}, {@code ObjectRef}, {@code ResponseStatus}, {@code Annotations}, ...); dynamic
 *       columns may arrive as objects or as JSON text;
 *   <li>the query API's {@code {"tables":[{"columns":[{"name"}], "rows":[[...]]}]}}, whose rows are
 *       either of the above.
 * </ul>
 *
 * <p>An input of kube-audit-admin rows alone ({@code Category} kube-audit-admin, {@code Type}
 * AKSAuditAdmin) is warned about: that category has no get or list request.
 */
final class AksLogAnalyticsAdapter implements EnvelopeAdapter {

  /**
   * AKSAudit column → Event field. The documented table has no impersonated-user column; one is
   * mapped if present.
   */
  private static final Map<String, String> COLUMNS = columns();

  private final AksCategories categories = new AksCategories();

  private static Map<String, String> columns() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("Level", "level");
    m.put("AuditId", "auditID");
    m.put("Stage", "stage");
    m.put("RequestUri", "requestURI");
    m.put("Verb", "verb");
    m.put("User", "user");
    m.put("ImpersonatedUser", "impersonatedUser");
    m.put("SourceIps", "sourceIPs");
    m.put("UserAgent", "userAgent");
    m.put("ObjectRef", "objectRef");
    m.put("ResponseStatus", "responseStatus");
    m.put("RequestObject", "requestObject");
    m.put("ResponseObject", "responseObject");
    m.put("RequestReceivedTime", "requestReceivedTimestamp");
    m.put("StageReceivedTime", "stageTimestamp");
    m.put("Annotations", "annotations");
    return m;
  }

  @Override
  public String format() {
    return "AKS Log Analytics row";
  }

  @Override
  public boolean recognizes(JsonNode node) {
    return node.path("tables").isArray()
        || node.has("log_s")
        || (node.has("RequestUri") && node.has("Verb"))
        || Json.text(node, "Type").startsWith("AKSAudit");
  }

  @Override
  public void unwrap(JsonNode node, Consumer<JsonNode> nested, Consumer<AuditEvent> events) {
    if (node.path("tables").isArray()) {
      for (JsonNode table : node.get("tables")) {
        rows(table).forEach(nested);
      }
    } else if (node.has("log_s")) {
      String category = Json.text(node, "Category");
      if (category.isEmpty() || AksDiagnosticAdapter.isAuditCategory(category)) {
        if (!category.isEmpty()) {
          categories.count(category);
        }
        nested.accept(EmbeddedJson.parse(Json.text(node, "log_s"), "log_s"));
      }
    } else {
      categories.countTable(Json.text(node, "Type"));
      nested.accept(event(node));
    }
  }

  /** A warning when every audit row read was of kube-audit-admin (table AKSAuditAdmin). */
  @Override
  public List<String> warnings() {
    return categories.drain();
  }

  private static List<JsonNode> rows(JsonNode table) {
    List<String> names = new ArrayList<>();
    for (JsonNode column : table.path("columns")) {
      names.add(Json.text(column, "name"));
    }
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode row : table.path("rows")) {
      if (!row.isArray() || row.size() != names.size()) {
        throw new IllegalArgumentException(
            "a row of table \""
                + Json.text(table, "name")
                + "\" does not match its "
                + names.size()
                + " columns");
      }
      ObjectNode object = EmbeddedJson.mapper().createObjectNode();
      for (int i = 0; i < names.size(); i++) {
        object.set(names.get(i), row.get(i));
      }
      out.add(object);
    }
    return out;
  }

  /** An AKSAudit row renamed into an audit.k8s.io/v1 Event, so the native decoder reads it. */
  private static JsonNode event(JsonNode row) {
    ObjectNode event = EmbeddedJson.mapper().createObjectNode();
    event.put("kind", "Event");
    event.put("apiVersion", "audit.k8s.io/v1");
    for (Map.Entry<String, String> column : COLUMNS.entrySet()) {
      JsonNode value = row.get(column.getKey());
      if (value == null || value.isNull()) {
        continue;
      }
      if (value.isString() && isDynamic(column.getKey())) {
        String text = value.stringValue().strip();
        if (text.startsWith("{") || text.startsWith("[")) {
          value = EmbeddedJson.parse(text, column.getKey());
        } else if (text.isEmpty() || column.getKey().endsWith("Object")) {
          continue; // empty, or "skipped-too-big-size-object"
        } else {
          throw new IllegalArgumentException("column " + column.getKey() + " holds no JSON value");
        }
      }
      event.set(column.getValue(), value);
    }
    return event;
  }

  private static boolean isDynamic(String column) {
    return switch (column) {
      case "User",
          "ImpersonatedUser",
          "SourceIps",
          "ObjectRef",
          "ResponseStatus",
          "RequestObject",
          "ResponseObject",
          "Annotations" ->
          true;
      default -> false;
    };
  }
}
