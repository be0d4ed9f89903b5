package dev.rbacsynth.read.envelope;

import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.read.EnvelopeAdapter;
import dev.rbacsynth.read.Json;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * EKS audit logs from CloudWatch Logs, where each log event's {@code message} is the API server's
 * Event as a JSON string:
 *
 * <ul>
 *   <li>{@code aws logs filter-log-events} / {@code get-log-events} output: {@code {"events":[{...,
 *       "message": "..."}], "nextToken"|"nextForwardToken": ...}};
 *   <li>the subscription-filter (and Firehose) envelope {@code {"messageType":"DATA_MESSAGE",
 *       "logStream": ..., "logEvents":[{"id","timestamp","message"}]}}; {@code CONTROL_MESSAGE}
 *       records hold no events;
 *   <li>Logs Insights: {@code aws logs get-query-results} ({@code {"results":[[{"field","value"},
 *       ...]]}}) and exported rows with {@code @message};
 *   <li>one log event: {@code message} with CloudWatch's {@code eventId}, {@code logStreamName},
 *       {@code ingestionTime} or numeric {@code timestamp}.
 * </ul>
 *
 * The EKS log group also holds the authenticator, controller-manager and scheduler streams: events
 * of a stream that is not {@code kube-apiserver-audit-*} are skipped.
 */
final class CloudWatchLogsAdapter implements EnvelopeAdapter {

  private static final String AUDIT_STREAM = "kube-apiserver-audit";

  @Override
  public String format() {
    return "EKS CloudWatch Logs";
  }

  @Override
  public boolean recognizes(JsonNode node) {
    if (node.has("messageType") && (node.has("logEvents") || node.has("logGroup"))) {
      return true;
    }
    if (node.path("events").isArray()) {
      return node.has("nextToken")
          || node.has("nextForwardToken")
          || node.has("searchedLogStreams")
          || node.get("events").isEmpty()
          || node.get("events").get(0).has("message");
    }
    if (node.path("results").isArray() && node.has("status")) {
      return true;
    }
    if (node.has("@message")) {
      return true;
    }
    return node.has("message")
        && (node.has("eventId")
            || node.has("logStreamName")
            || node.has("ingestionTime")
            || node.path("timestamp").isNumber());
  }

  @Override
  public void unwrap(JsonNode node, Consumer<JsonNode> nested, Consumer<AuditEvent> events) {
    if (node.has("messageType")) {
      subscription(node, nested);
    } else if (node.path("events").isArray()) {
      node.get("events").forEach(nested);
    } else if (node.path("results").isArray()) {
      for (JsonNode row : node.get("results")) {
        nested.accept(insightsRow(row));
      }
    } else {
      logEvent(node, nested);
    }
  }

  private static void subscription(JsonNode node, Consumer<JsonNode> nested) {
    String type = Json.text(node, "messageType");
    if (type.equals("CONTROL_MESSAGE")) {
      return; // CloudWatch's reachability check: no log events
    }
    if (!type.equals("DATA_MESSAGE")) {
      throw new IllegalArgumentException(
          "messageType \"" + type + "\" is neither DATA_MESSAGE nor CONTROL_MESSAGE");
    }
    if (!isAuditStream(Json.text(node, "logStream"))) {
      return;
    }
    JsonNode logEvents = node.get("logEvents");
    if (logEvents == null || !logEvents.isArray()) {
      throw new IllegalArgumentException("DATA_MESSAGE without a logEvents array");
    }
    logEvents.forEach(nested);
  }

  /** A Logs Insights result row, a list of {field, value} pairs, as one object. */
  private static JsonNode insightsRow(JsonNode row) {
    if (!row.isArray()) {
      throw new IllegalArgumentException("results[] must hold arrays of {field, value}");
    }
    ObjectNode object = EmbeddedJson.mapper().createObjectNode();
    for (JsonNode cell : row) {
      JsonNode value = cell.get("value");
      if (value != null) {
        object.set(Json.text(cell, "field"), value);
      }
    }
    return object;
  }

  private static void logEvent(JsonNode node, Consumer<JsonNode> nested) {
    String stream = Json.text(node, "logStreamName");
    if (stream.isEmpty()) {
      stream = Json.text(node, "@logStream");
    }
    if (!isAuditStream(stream)) {
      return;
    }
    String field = node.has("@message") ? "@message" : "message";
    nested.accept(EmbeddedJson.document(node.get(field), field));
  }

  /** An unknown stream (not exported) is taken to be the audit stream. */
  private static boolean isAuditStream(String stream) {
    return stream.isEmpty() || stream.startsWith(AUDIT_STREAM);
  }
}
