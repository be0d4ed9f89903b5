package dev.rbacsynth.read;

import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.event.ObjectReference;
import dev.rbacsynth.event.RequestBody;
import dev.rbacsynth.event.Stage;
import dev.rbacsynth.event.UserInfo;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Maps one JSON tree that holds a native {@code audit.k8s.io} Event (v1, v1beta1 or v1alpha1) onto
 * {@link AuditEvent}. Unknown fields are ignored; older versions are normalised to v1.
 */
public final class EventDecoder {

  /**
   * True when the object has the shape of an audit Event rather than some other Kubernetes object.
   */
  public static boolean looksLikeEvent(JsonNode node) {
    if (!node.isObject()) {
      return false;
    }
    String kind = Json.text(node, "kind");
    if (!kind.isEmpty() && !kind.equals("Event")) {
      return false;
    }
    if (kind.equals("Event") && Json.text(node, "apiVersion").startsWith("audit.k8s.io/")) {
      return true; // says what it is, even when hand-trimmed to a few fields
    }
    return node.has("auditID") || node.has("requestURI") || (node.has("verb") && node.has("stage"));
  }

  /**
   * @throws IllegalArgumentException with a one-line reason when a field the authorizer needs has
   *     the wrong type
   */
  public static AuditEvent decode(JsonNode node) {
    requireStringOrAbsent(node, "verb");
    requireStringOrAbsent(node, "requestURI");
    requireObjectOrAbsent(node, "user");
    requireObjectOrAbsent(node, "objectRef");
    JsonNode impersonated = node.get("impersonatedUser");
    JsonNode status = node.get("responseStatus");
    JsonNode ref = node.get("objectRef");
    JsonNode authn = node.get("authenticationMetadata");
    return new AuditEvent(
        Json.text(node, "auditID"),
        Stage.parse(Json.text(node, "stage")),
        Json.text(node, "requestURI"),
        Json.text(node, "verb"),
        user(node.get("user")),
        impersonated == null || impersonated.isNull() ? null : user(impersonated),
        Json.text(authn, "impersonationConstraint"),
        ref == null || ref.isNull() ? null : objectRef(ref),
        status == null || !status.isObject() ? 0 : status.path("code").asInt(0),
        Json.text(status, "reason"),
        Json.text(status, "message"),
        timestamp(node),
        annotations(node),
        requestBody(node.get("requestObject")));
  }

  private static void requireStringOrAbsent(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value != null && !value.isNull() && !value.isString()) {
      throw new IllegalArgumentException("field \"" + field + "\" must be a string");
    }
  }

  private static void requireObjectOrAbsent(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value != null && !value.isNull() && !value.isObject()) {
      throw new IllegalArgumentException("field \"" + field + "\" must be an object");
    }
  }

  static UserInfo user(JsonNode node) {
    if (node == null || !node.isObject()) {
      return UserInfo.EMPTY;
    }
    return new UserInfo(
        Json.text(node, "username"),
        Json.text(node, "uid"),
        Json.strings(node, "groups"),
        Json.stringListMap(node, "extra"));
  }

  private static ObjectReference objectRef(JsonNode ref) {
    String apiGroup = Json.text(ref, "apiGroup");
    String version = Json.text(ref, "apiVersion");
    // v1alpha1 had no objectRef.apiGroup: its apiVersion held "group/version" ("v1" for core).
    if (apiGroup.isEmpty() && version.contains("/")) {
      int slash = version.lastIndexOf('/');
      apiGroup = version.substring(0, slash);
      version = version.substring(slash + 1);
    }
    return new ObjectReference(
        Json.text(ref, "resource"),
        Json.text(ref, "namespace"),
        Json.text(ref, "name"),
        apiGroup,
        version,
        Json.text(ref, "subresource"));
  }

  private static Instant timestamp(JsonNode node) {
    String value = Json.text(node, "requestReceivedTimestamp");
    if (value.isEmpty()) {
      value = Json.text(node, "timestamp"); // v1beta1
    }
    if (value.isEmpty()) {
      value = Json.text(node, "stageTimestamp");
    }
    return value.isEmpty() ? null : Timestamps.parse(value);
  }

  /**
   * The annotations, with dots put back into key prefixes that a log shipper replaced by "_" (the
   * Elastic Kubernetes integration and Fluent Bit's {@code Replace_Dots} store {@code
   * authorization_k8s_io/decision}). A key prefix is a DNS subdomain, which cannot hold "_", so the
   * repair is exact; the name part after "/" is left alone.
   */
  private static Map<String, String> annotations(JsonNode node) {
    Map<String, String> raw = Json.stringMap(node, "annotations");
    Map<String, String> out = new LinkedHashMap<>(raw);
    for (Map.Entry<String, String> e : raw.entrySet()) {
      String key = e.getKey();
      int slash = key.indexOf('/');
      if (slash > 0 && key.lastIndexOf('_', slash) >= 0) {
        String repaired = key.substring(0, slash).replace('_', '.') + key.substring(slash);
        out.remove(key);
        out.putIfAbsent(repaired, e.getValue());
      }
    }
    return out;
  }

  /**
   * The request-body fields that imply extra authorization checks, from a request object (null when
   * absent).
   */
  public static RequestBody requestBody(JsonNode body) {
    if (body == null || !body.isObject()) {
      return RequestBody.NONE;
    }
    JsonNode roleRef = body.get("roleRef");
    JsonNode spec = body.get("spec");
    return new RequestBody(
        Json.text(roleRef, "kind"), Json.text(roleRef, "name"), Json.text(spec, "signerName"));
  }
}
