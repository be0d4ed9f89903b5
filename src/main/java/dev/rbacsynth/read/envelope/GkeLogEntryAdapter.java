package dev.rbacsynth.read.envelope;

import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.event.ObjectReference;
import dev.rbacsynth.event.Stage;
import dev.rbacsynth.event.UserInfo;
import dev.rbacsynth.read.EnvelopeAdapter;
import dev.rbacsynth.read.EventDecoder;
import dev.rbacsynth.read.Json;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * GKE Kubernetes audit logs: Cloud Logging {@code LogEntry} records whose {@code protoPayload} is a
 * {@code google.cloud.audit.AuditLog}, as {@code gcloud logging read --format=json|yaml} prints
 * them, and BigQuery exports (payload named {@code protopayload_auditlog}, request body as the
 * string {@code requestJson}).
 *
 * <p>GKE does not log the API server's Event, so one is rebuilt: the verb is the last segment of
 * {@code methodName} ({@code io.k8s.apps.v1.deployments.scale.patch}); group, version, namespace,
 * resource, name and subresource come from {@code resourceName}; {@code io.k8s.<verb>} methods are
 * non-resource requests whose resourceName is the path. The gRPC {@code status.code} becomes the
 * HTTP code (a Status {@code response.code} wins), the entry's labels (where GKE copies the API
 * server's annotations) become annotations, and {@code authorizationInfo[].granted} gives the
 * authorization decision when the labels do not. Entries of other Google Cloud services are
 * skipped.
 */
final class GkeLogEntryAdapter implements EnvelopeAdapter {

  private static final String K8S_METHOD = "io.k8s.";
  private static final Set<String> HTTP_VERBS =
      Set.of("get", "head", "options", "post", "put", "patch", "delete");

  /** HTTP status for each gRPC code 0..16, as google/rpc/code.proto maps them. */
  private static final int[] HTTP_FOR_GRPC = {
    200, 499, 500, 400, 504, 404, 409, 403, 429, 400, 409, 400, 501, 500, 503, 500, 401
  };

  @Override
  public String format() {
    return "GKE Cloud Audit LogEntry";
  }

  @Override
  public boolean recognizes(JsonNode node) {
    return payload(node) != null;
  }

  @Override
  public void unwrap(JsonNode entry, Consumer<JsonNode> nested, Consumer<AuditEvent> events) {
    JsonNode payload = payload(entry);
    String method = Json.text(payload, "methodName");
    if (method.isEmpty()) {
      String service = Json.text(payload, "serviceName");
      if (service.isEmpty() || service.equals("k8s.io")) {
        throw new IllegalArgumentException("protoPayload.methodName is missing");
      }
      return;
    }
    if (!method.startsWith(K8S_METHOD)) {
      return; // another Google Cloud service (the GKE cluster API, Compute Engine, ...): no
      // Kubernetes request
    }
    String[] segments = method.substring(K8S_METHOD.length()).split("\\.", -1);
    String verb = segments[segments.length - 1];
    String requestURI;
    ObjectReference objectRef;
    if (segments.length == 1) {
      if (!HTTP_VERBS.contains(verb)) {
        throw new IllegalArgumentException(
            "methodName " + method + " names no HTTP verb for a non-resource request");
      }
      String path = resourceName(payload);
      requestURI = path.startsWith("/") ? path : "/" + path;
      objectRef = null;
    } else if (segments.length >= 4) {
      GkeResourceName parsed = GkeResourceName.parse(resourceName(payload), verb);
      requestURI = parsed.requestURI();
      objectRef = parsed.objectRef();
    } else {
      throw new IllegalArgumentException(
          "methodName "
              + method
              + " is neither io.k8s.VERB nor io.k8s.GROUP.VERSION.RESOURCE[.SUBRESOURCE].VERB");
    }
    JsonNode status = payload.get("status");
    events.accept(
        new AuditEvent(
            Json.text(entry, "insertId"),
            Stage.RESPONSE_COMPLETE, // GKE writes one entry per request, once it has completed
            requestURI,
            verb,
            UserInfo.of(Json.text(payload.get("authenticationInfo"), "principalEmail"), List.of()),
            null,
            "",
            objectRef,
            responseCode(payload),
            "",
            Json.text(status, "message"),
            timestamp(entry),
            annotations(entry, payload),
            EventDecoder.requestBody(body(payload, "request"), body(payload, "response")),
            "", // no stageTimestamp: the entry's timestamp is the only one
            Json.text(payload.get("requestMetadata"), "callerSuppliedUserAgent")));
  }

  private static JsonNode payload(JsonNode entry) {
    JsonNode payload = entry.get("protoPayload");
    if (payload == null) {
      payload = entry.get("protopayload_auditlog"); // BigQuery export
    }
    return payload != null && payload.isObject() ? payload : null;
  }

  private static String resourceName(JsonNode payload) {
    String name = Json.text(payload, "resourceName");
    JsonNode authorization = payload.path("authorizationInfo");
    if (name.isEmpty() && authorization.isArray() && !authorization.isEmpty()) {
      name = Json.text(authorization.get(0), "resource");
    }
    if (name.isEmpty()) {
      throw new IllegalArgumentException("protoPayload.resourceName is missing");
    }
    return name;
  }

  /**
   * The request or response body: an object, or in BigQuery exports a JSON string in {@code
   * <field>Json}.
   */
  private static JsonNode body(JsonNode payload, String field) {
    JsonNode body = payload.get(field);
    if (body != null && body.isObject()) {
      return body;
    }
    JsonNode json = payload.get(field + "Json");
    return json != null && json.isString()
        ? EmbeddedJson.parse(json.stringValue(), field + "Json")
        : null;
  }

  private static int responseCode(JsonNode payload) {
    JsonNode response = body(payload, "response");
    if (response != null && Json.text(response, "kind").equals("Status")) {
      int http = response.path("code").asInt(0);
      if (http >= 100 && http <= 599) {
        return http;
      }
    }
    JsonNode status = payload.get("status");
    if (status == null || status.isNull()) {
      return 0; // not logged: unknown
    }
    if (!status.isObject()) {
      throw new IllegalArgumentException("protoPayload.status must be an object");
    }
    String code =
        Json.text(status, "code"); // an absent code is 0, OK (proto3 JSON omits zero values)
    int grpc;
    try {
      grpc = code.isEmpty() ? 0 : Integer.parseInt(code.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "protoPayload.status.code \"" + code + "\" is not a number");
    }
    if (grpc < 0 || grpc >= HTTP_FOR_GRPC.length) {
      throw new IllegalArgumentException(
          "protoPayload.status.code " + grpc + " is not a gRPC status code");
    }
    return HTTP_FOR_GRPC[grpc];
  }

  private static Map<String, String> annotations(JsonNode entry, JsonNode payload) {
    Map<String, String> annotations = new LinkedHashMap<>(Json.stringMap(entry, "labels"));
    JsonNode checks = payload.path("authorizationInfo");
    if (!annotations.containsKey(AuditEvent.DECISION) && checks.isArray() && !checks.isEmpty()) {
      String decision = "allow";
      for (JsonNode check : checks) {
        String granted = Json.text(check, "granted");
        if (granted.equals("false")) {
          decision = "forbid";
          break;
        }
        if (!granted.equals("true")) {
          decision = ""; // not recorded for this check: no decision can be claimed
        }
      }
      if (!decision.isEmpty()) {
        annotations.put(AuditEvent.DECISION, decision);
      }
    }
    return annotations;
  }

  /**
   * {@code timestamp} (else {@code receiveTimestamp}): RFC 3339, or BigQuery's "2024-01-01
   * 01:00:00.123 UTC".
   */
  private static Instant timestamp(JsonNode entry) {
    String value = Json.text(entry, "timestamp");
    if (value.isEmpty()) {
      value = Json.text(entry, "receiveTimestamp");
    }
    String iso = value.trim().replace(' ', 'T').replaceFirst("TUTC$", "Z");
    if (iso.isEmpty()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(iso).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(iso + "Z"); // no zone: Cloud Logging times are UTC
      } catch (DateTimeParseException again) {
        return null;
      }
    }
  }
}
