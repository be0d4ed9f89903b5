package dev.rbacsynth;

import dev.rbacsynth.attributes.RequestInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes audit.k8s.io/v1 events as a real apiserver's log backend writes them: one JSON object per
 * line, Metadata level, with the objectRef the apiserver derives from the request URI (namespace,
 * group and version included).
 */
public final class AuditEvents {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  /**
   * One event. {@code resource}, {@code subresource} and {@code name} are objectRef's (for a create
   * the name comes from the body, as the apiserver logs it); {@code decision} is "allow", "forbid"
   * or "" for none.
   */
  public record Event(
      String auditID,
      String stage,
      String username,
      List<String> groups,
      String verb,
      String requestURI,
      String resource,
      String subresource,
      String name,
      int code,
      String decision,
      Instant time) {

    public String toJson() {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("kind", "Event");
      e.put("apiVersion", "audit.k8s.io/v1");
      e.put("level", "Metadata");
      e.put("auditID", auditID);
      e.put("stage", stage);
      e.put("requestURI", requestURI);
      e.put("verb", verb);
      e.put("user", Map.of("username", username, "groups", groups));
      RequestInfo info = RequestInfo.parse(requestURI);
      if (!resource.isEmpty()) {
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("resource", resource);
        put(ref, "namespace", info.namespace());
        put(ref, "name", name);
        put(ref, "apiGroup", info.apiGroup());
        put(ref, "apiVersion", version(info.path()));
        put(ref, "subresource", subresource);
        e.put("objectRef", ref);
      }
      Map<String, Object> status = new LinkedHashMap<>();
      status.put("metadata", Map.of());
      status.put("code", code);
      e.put("responseStatus", status);
      e.put("requestReceivedTimestamp", time.toString());
      e.put("stageTimestamp", time.toString());
      if (!decision.isEmpty()) {
        e.put(
            "annotations",
            Map.of("authorization.k8s.io/decision", decision, "authorization.k8s.io/reason", ""));
      }
      return MAPPER.writeValueAsString(e);
    }
  }

  private AuditEvents() {}

  /** A completed request whose objectRef is what the URI says (no body name). */
  public static Event request(
      String username, String verb, String requestURI, int code, Instant time) {
    RequestInfo info = RequestInfo.parse(requestURI);
    String name = verb.equals("create") && info.subresource().isEmpty() ? "" : info.name();
    return new Event(
        "id-" + time.toEpochMilli() + "-" + Math.abs((username + verb + requestURI).hashCode()),
        "ResponseComplete",
        username,
        groupsOf(username),
        verb,
        requestURI,
        info.resourceRequest() ? info.resource() : "",
        info.subresource(),
        name,
        code,
        code == 403 ? "forbid" : "allow",
        time);
  }

  /** The groups an apiserver puts on an authenticated user of this name. */
  public static List<String> groupsOf(String username) {
    if (username.equals("system:anonymous")) {
      return List.of("system:unauthenticated");
    }
    List<String> groups = new ArrayList<>();
    if (username.startsWith("system:serviceaccount:")) {
      String[] parts = username.split(":");
      groups.add("system:serviceaccounts");
      groups.add("system:serviceaccounts:" + parts[2]);
    }
    groups.add("system:authenticated");
    return groups;
  }

  public static Path write(Path file, List<Event> events) {
    List<String> lines = events.stream().map(Event::toJson).toList();
    try {
      return Files.write(file, lines, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void put(Map<String, Object> m, String key, String value) {
    if (!value.isEmpty()) {
      m.put(key, value);
    }
  }

  /** {@code v1} of /api/v1/..., {@code v1} of /apis/apps/v1/... */
  private static String version(String path) {
    String[] parts = path.replaceAll("^/+", "").split("/");
    if (parts.length > 1 && parts[0].equals("api")) {
      return parts[1];
    }
    return parts.length > 2 && parts[0].equals("apis") ? parts[2] : "";
  }
}
