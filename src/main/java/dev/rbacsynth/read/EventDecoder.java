package dev.rbacsynth.read;

import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.event.ObjectReference;
import dev.rbacsynth.event.RequestBody;
import dev.rbacsynth.event.Stage;
import dev.rbacsynth.event.UserInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Maps a native {@code audit.k8s.io} Event (v1, v1beta1 or v1alpha1) onto {@link AuditEvent},
 * reading it as a token stream: straight from a log line's bytes, or from a JSON tree (envelopes,
 * YAML) through {@link #decode(JsonNode)}, so that both go through the same code. No tree is built
 * for a log line, and fields the authorizer does not need (bodies, source IPs, user agent) are
 * skipped. Unknown fields are ignored; older versions are normalised to v1.
 *
 * <p>Lenient like a tree lookup: a missing or null field reads as "", a number or boolean as its
 * text, an object or array where a string belongs as ""; duplicate keys: the last one wins.
 */
public final class EventDecoder {

  private EventDecoder() {}

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

  /** {@link #looksLikeEvent(JsonNode)} on fields read from tokens. */
  private static boolean looksLikeEvent(Fields f) {
    if (!f.kind.isEmpty() && !f.kind.equals("Event")) {
      return false;
    }
    if (f.kind.equals("Event") && f.apiVersion.startsWith("audit.k8s.io/")) {
      return true;
    }
    return f.hasAuditID || f.hasRequestURI || (f.hasVerb && f.hasStage);
  }

  /**
   * Decodes an object that {@link #looksLikeEvent} accepted.
   *
   * @throws IllegalArgumentException with a one-line reason when a field the authorizer needs has
   *     the wrong type
   */
  public static AuditEvent decode(JsonNode node) {
    try (JsonParser p = AuditLogReader.Jackson.MAPPER.treeAsTokens(node)) {
      p.nextToken();
      return read(p, false, false, false);
    }
  }

  /**
   * Decodes the object at the parser's {@code START_OBJECT} up to its end, for a log line that
   * starts as the apiserver writes an Event ({@code {"kind":"Event","apiVersion":"audit.k8s.io/}).
   * Returns null when a later duplicate {@code kind} or {@code apiVersion} says otherwise: the line
   * must then be dispatched as a tree.
   *
   * @throws IllegalArgumentException as {@link #decode(JsonNode)}
   */
  static AuditEvent decodeNative(JsonParser p, boolean usageOnly) {
    return read(p, true, false, usageOnly);
  }

  /**
   * Decodes one item of an {@code EventList} (a webhook's body) at the parser's {@code
   * START_OBJECT}, up to its end, straight from the tokens (no tree); null when the object is not
   * an audit Event by {@link #looksLikeEvent}'s rule.
   *
   * @throws IllegalArgumentException as {@link #decode(JsonNode)}
   */
  public static AuditEvent decodeListItem(JsonParser p) {
    return read(p, false, true, false);
  }

  /** The fields of one Event as they are read; the last occurrence of a key wins. */
  private static final class Fields {
    boolean hasAuditID; // present, whatever the value: looksLikeEvent's rule
    boolean hasRequestURI;
    boolean hasVerb;
    boolean hasStage;
    String kind = "";
    String apiVersion = "";
    String auditID = "";
    String stage = "";
    String requestURI = "";
    String verb = "";
    boolean verbNotString;
    boolean requestURINotString;
    boolean userNotObject;
    boolean objectRefNotObject;
    UserInfo user = UserInfo.EMPTY;
    UserInfo impersonatedUser;
    String impersonationConstraint = "";
    ObjectReference objectRef;
    int responseCode;
    String responseReason = "";
    String responseMessage = "";
    String requestReceivedTimestamp = "";
    String timestamp = "";
    String stageTimestamp = "";
    String userAgent = "";
    Map<String, String> annotations = Map.of();
    RequestBody requestObject = RequestBody.NONE;
    String storedSignerName = "";
  }

  /**
   * @param usageOnly lean: of the annotations only the authorization decision, and not the uid and
   *     extra of {@code user} (the requesting user; an impersonated user is read whole). The rest
   *     is still read token by token, so a line is rejected exactly when a full decode rejects it.
   */
  private static AuditEvent read(
      JsonParser p, boolean requireNative, boolean requireEventShape, boolean usageOnly) {
    Fields f = new Fields();
    for (String name = p.nextName(); name != null; name = p.nextName()) {
      JsonToken value = p.nextToken();
      switch (name) {
        case "kind" -> f.kind = text(p, value);
        case "apiVersion" -> f.apiVersion = text(p, value);
        case "auditID" -> {
          f.hasAuditID = true;
          f.auditID = text(p, value);
        }
        case "stage" -> {
          f.hasStage = true;
          f.stage = text(p, value);
        }
        case "requestURI" -> {
          f.hasRequestURI = true;
          f.requestURINotString = !isStringOrNull(value);
          f.requestURI = text(p, value);
        }
        case "verb" -> {
          f.hasVerb = true;
          f.verbNotString = !isStringOrNull(value);
          f.verb = text(p, value);
        }
        case "user" -> {
          f.userNotObject = !isObjectOrNull(value);
          f.user = value == JsonToken.START_OBJECT ? user(p, usageOnly) : skip(p, UserInfo.EMPTY);
        }
        case "impersonatedUser" ->
            f.impersonatedUser =
                value == JsonToken.START_OBJECT
                    ? user(p, false)
                    : skip(p, value == JsonToken.VALUE_NULL ? null : UserInfo.EMPTY);
        case "authenticationMetadata" ->
            f.impersonationConstraint =
                value == JsonToken.START_OBJECT ? field(p, "impersonationConstraint") : skip(p, "");
        case "objectRef" -> {
          f.objectRefNotObject = !isObjectOrNull(value);
          f.objectRef = value == JsonToken.START_OBJECT ? objectRef(p) : skip(p, null);
        }
        case "responseStatus" -> responseStatus(p, value, f);
        case "requestReceivedTimestamp" -> f.requestReceivedTimestamp = text(p, value);
        case "timestamp" -> f.timestamp = text(p, value); // v1beta1
        case "stageTimestamp" -> f.stageTimestamp = text(p, value);
        case "userAgent" -> f.userAgent = text(p, value);
        case "annotations" ->
            f.annotations =
                value == JsonToken.START_OBJECT
                    ? stringMap(p, usageOnly)
                    : skip(p, Map.<String, String>of());
        case "requestObject" ->
            f.requestObject =
                value == JsonToken.START_OBJECT
                    ? requestBody(keep(p, "roleRef", "spec"))
                    : skip(p, RequestBody.NONE);
        case "responseObject" ->
            f.storedSignerName =
                value == JsonToken.START_OBJECT ? storedSignerName(keep(p, "spec")) : skip(p, "");
        default -> skipValue(p); // bodies, sourceIPs, level, unknown fields
      }
    }
    if (requireNative && !(f.kind.equals("Event") && f.apiVersion.startsWith("audit.k8s.io/"))) {
      return null;
    }
    if (requireEventShape && !looksLikeEvent(f)) {
      return null;
    }
    requireType(f.verbNotString, "field \"verb\" must be a string");
    requireType(f.requestURINotString, "field \"requestURI\" must be a string");
    requireType(f.userNotObject, "field \"user\" must be an object");
    requireType(f.objectRefNotObject, "field \"objectRef\" must be an object");
    return new AuditEvent(
        f.auditID,
        Stage.parse(f.stage),
        f.requestURI,
        f.verb,
        f.user,
        f.impersonatedUser,
        f.impersonationConstraint,
        f.objectRef,
        f.responseCode,
        f.responseReason,
        f.responseMessage,
        timestamp(f),
        repairedKeys(f.annotations),
        f.requestObject.withStoredSignerName(f.storedSignerName),
        f.stageTimestamp,
        f.userAgent);
  }

  private static void requireType(boolean wrong, String message) {
    if (wrong) {
      throw new IllegalArgumentException(message);
    }
  }

  private static boolean isStringOrNull(JsonToken t) {
    return t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NULL;
  }

  private static boolean isObjectOrNull(JsonToken t) {
    return t == JsonToken.START_OBJECT || t == JsonToken.VALUE_NULL;
  }

  /** Skips the current value and returns {@code result}. */
  private static <T> T skip(JsonParser p, T result) {
    skipValue(p);
    return result;
  }

  /**
   * Skips the current value (to its end token, as {@code skipChildren} does), decoding every string
   * in it as a full parse would: {@code skipChildren} only finds a string's end, so bytes that a
   * tree rejects, such as a UTF-8-encoded surrogate, would pass unnoticed in a skipped field.
   */
  static void skipValue(JsonParser p) {
    JsonToken t = p.currentToken();
    int depth = 0;
    while (true) {
      if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
        depth++;
      } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
        depth--;
      } else if (t == JsonToken.VALUE_STRING) {
        p.getStringCharacters();
      }
      if (depth <= 0) {
        return;
      }
      t = p.nextToken();
    }
  }

  /**
   * The current value as {@link Json#text} reads it: a number or boolean as its tree's text (read
   * as a tree so the two stay the same), an object or array as "".
   */
  private static String text(JsonParser p, JsonToken t) {
    if (t == JsonToken.VALUE_STRING) {
      return p.getString();
    }
    if (t == JsonToken.VALUE_NULL) {
      return "";
    }
    if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
      skipValue(p);
      return "";
    }
    JsonNode scalar = AuditLogReader.Jackson.STREAM_VALUE_READER.readTree(p);
    return scalar.asString();
  }

  /** One text field of the current object; the rest of the object is skipped. */
  private static String field(JsonParser p, String wanted) {
    String found = "";
    for (String name = p.nextName(); name != null; name = p.nextName()) {
      JsonToken value = p.nextToken();
      if (name.equals(wanted)) {
        found = text(p, value);
      } else {
        skipValue(p);
      }
    }
    return found;
  }

  /**
   * @param lean without uid and extra
   */
  private static UserInfo user(JsonParser p, boolean lean) {
    String username = "";
    String uid = "";
    List<String> groups = List.of();
    Map<String, List<String>> extra = Map.of();
    for (String name = p.nextName(); name != null; name = p.nextName()) {
      JsonToken value = p.nextToken();
      switch (name) {
        case "username" -> username = text(p, value);
        case "uid" -> uid = lean ? skip(p, "") : text(p, value);
        case "groups" -> groups = strings(p, value);
        case "extra" ->
            extra =
                value == JsonToken.START_OBJECT && !lean
                    ? stringListMap(p)
                    : skip(p, Map.<String, List<String>>of());
        default -> skipValue(p);
      }
    }
    return new UserInfo(username, uid, groups, extra);
  }

  /** The string items of an array (others are skipped); empty for anything but an array. */
  private static List<String> strings(JsonParser p, JsonToken t) {
    if (t != JsonToken.START_ARRAY) {
      skipValue(p);
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (JsonToken item = p.nextToken(); item != JsonToken.END_ARRAY; item = p.nextToken()) {
      if (item == JsonToken.VALUE_STRING) {
        out.add(p.getString());
      } else {
        skipValue(p);
      }
    }
    return out;
  }

  private static Map<String, List<String>> stringListMap(JsonParser p) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String name = p.nextName(); name != null; name = p.nextName()) {
      out.put(name, strings(p, p.nextToken()));
    }
    return out;
  }

  /**
   * The string-valued entries of the current object, in the order a tree keeps them: a repeated key
   * stays where it first appeared, with its last value (which may not be a string).
   */
  private static Map<String, String> stringMap(JsonParser p, boolean decisionOnly) {
    Map<String, String> all = null; // made for the first entry kept
    boolean nulls = false;
    for (String name = p.nextName(); name != null; name = p.nextName()) {
      if (decisionOnly && !mayBeDecision(name)) {
        p.nextToken();
        skipValue(p);
        continue;
      }
      if (all == null) {
        all = new LinkedHashMap<>();
      }
      if (p.nextToken() == JsonToken.VALUE_STRING) {
        all.put(name, p.getString());
      } else {
        all.put(name, null);
        nulls = true;
        skipValue(p);
      }
    }
    if (all == null) {
      return Map.of();
    }
    if (nulls) {
      all.values().removeIf(Objects::isNull);
    }
    return all;
  }

  /**
   * True for the decision annotation's key, as written or with "_" for the dots of its prefix
   * ({@link #repairedKeys}): the keys that can become it.
   */
  private static boolean mayBeDecision(String key) {
    String d = AuditEvent.DECISION;
    if (key.length() != d.length()) {
      return false;
    }
    int slash = d.indexOf('/');
    for (int i = 0; i < d.length(); i++) {
      char c = key.charAt(i);
      if (c != d.charAt(i) && !(i < slash && c == '_' && d.charAt(i) == '.')) {
        return false;
      }
    }
    return true;
  }

  private static ObjectReference objectRef(JsonParser p) {
    String resource = "";
    String namespace = "";
    String name = "";
    String apiGroup = "";
    String version = "";
    String subresource = "";
    for (String field = p.nextName(); field != null; field = p.nextName()) {
      JsonToken value = p.nextToken();
      switch (field) {
        case "resource" -> resource = text(p, value);
        case "namespace" -> namespace = text(p, value);
        case "name" -> name = text(p, value);
        case "apiGroup" -> apiGroup = text(p, value);
        case "apiVersion" -> version = text(p, value);
        case "subresource" -> subresource = text(p, value);
        default -> skipValue(p);
      }
    }
    // v1alpha1 had no objectRef.apiGroup: its apiVersion held "group/version" ("v1" for core).
    if (apiGroup.isEmpty() && version.contains("/")) {
      int slash = version.lastIndexOf('/');
      apiGroup = version.substring(0, slash);
      version = version.substring(slash + 1);
    }
    return new ObjectReference(resource, namespace, name, apiGroup, version, subresource);
  }

  private static void responseStatus(JsonParser p, JsonToken t, Fields f) {
    f.responseCode = 0;
    f.responseReason = "";
    f.responseMessage = "";
    if (t != JsonToken.START_OBJECT) {
      skipValue(p);
      return;
    }
    for (String name = p.nextName(); name != null; name = p.nextName()) {
      JsonToken value = p.nextToken();
      switch (name) {
        case "code" -> f.responseCode = code(p, value);
        case "reason" -> f.responseReason = text(p, value);
        case "message" -> f.responseMessage = text(p, value);
        default -> skipValue(p);
      }
    }
  }

  /** {@code responseStatus.code} read as a tree's {@code asInt(0)} reads it. */
  private static int code(JsonParser p, JsonToken t) {
    if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
      return p.getIntValue();
    }
    if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
      skipValue(p);
      return 0;
    }
    JsonNode scalar = AuditLogReader.Jackson.STREAM_VALUE_READER.readTree(p);
    return scalar.asInt(0);
  }

  private static Instant timestamp(Fields f) {
    String value = f.requestReceivedTimestamp;
    if (value.isEmpty()) {
      value = f.timestamp; // v1beta1
    }
    if (value.isEmpty()) {
      value = f.stageTimestamp;
    }
    return value.isEmpty() ? null : Timestamps.parse(value);
  }

  /**
   * The annotations, with dots put back into key prefixes that a log shipper replaced by "_" (the
   * Elastic Kubernetes integration and Fluent Bit's {@code Replace_Dots} store {@code
   * authorization_k8s_io/decision}). A key prefix is a DNS subdomain, which cannot hold "_", so the
   * repair is exact; the name part after "/" is left alone.
   */
  private static Map<String, String> repairedKeys(Map<String, String> raw) {
    boolean any = false;
    for (String key : raw.keySet()) {
      int slash = key.indexOf('/');
      any |= slash > 0 && key.lastIndexOf('_', slash) >= 0;
    }
    if (!any) {
      return raw; // as the apiserver writes them: nothing to repair, nothing to copy
    }
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
   * The current object with only the named fields ({@code spec} keeps only {@code signerName}): a
   * request body can be megabytes, of which {@link #requestBody} reads three strings.
   */
  static ObjectNode keep(JsonParser p, String... names) {
    ObjectNode kept = AuditLogReader.Jackson.MAPPER.createObjectNode();
    if (p.currentToken() != JsonToken.START_OBJECT) {
      skipValue(p);
      return kept;
    }
    List<String> wanted = List.of(names);
    for (String name = p.nextName(); name != null; name = p.nextName()) {
      p.nextToken();
      if (name.equals("spec") && wanted.contains("spec")) {
        kept.set(name, keep(p, "signerName"));
      } else if (wanted.contains(name)) {
        kept.set(name, AuditLogReader.Jackson.STREAM_VALUE_READER.readTree(p));
      } else {
        skipValue(p);
      }
    }
    return kept;
  }

  /**
   * The request-body fields that imply extra authorization checks, from a request object (null when
   * absent).
   */
  public static RequestBody requestBody(JsonNode body, JsonNode response) {
    return requestBody(body).withStoredSignerName(storedSignerName(response));
  }

  /** {@code spec.signerName} of a response body: the stored object's signer ("" when absent). */
  static String storedSignerName(JsonNode response) {
    if (response == null || !response.isObject()) {
      return "";
    }
    return Json.text(response.get("spec"), "signerName");
  }

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
