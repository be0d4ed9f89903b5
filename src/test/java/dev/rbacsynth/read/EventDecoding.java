package dev.rbacsynth.read;

import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.event.UserInfo;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.JsonNode;

/**
 * The two ways a log line becomes an Event, for the fuzz tests in {@code dev.rbacsynth.fuzz}: from
 * its bytes ({@link EventDecoder#decodeNative}, as {@code AuditLogReader} calls it) and from its
 * tree ({@link EventDecoder#decode(JsonNode)}), with the reader's shared mapper.
 */
public final class EventDecoding {

  /** What {@link #fromBytes} returns when the reader would send the line down the tree path. */
  public static final String TREE_PATH = "tree path";

  private EventDecoding() {}

  /** The line's tree, as the reader's tree path reads it. */
  public static JsonNode readTree(byte[] line) throws JacksonException {
    return AuditLogReader.Jackson.MAPPER.readTree(line);
  }

  /**
   * The event or the error message the bytes path gives, or {@link #TREE_PATH} when it declines the
   * line (a later {@code kind} or {@code apiVersion}, trailing data, malformed JSON).
   */
  public static Object fromBytes(byte[] line) {
    return fromBytes(line, false);
  }

  /**
   * {@link #fromBytes(byte[])}, lean when {@code usageOnly} (as the reader decodes for a sink that
   * says {@link RecordSink#usageOnly}).
   */
  public static Object fromBytes(byte[] line, boolean usageOnly) {
    try (JsonParser p = AuditLogReader.Jackson.MAPPER.createParser(line)) {
      p.nextToken();
      Object result;
      try {
        AuditEvent event = EventDecoder.decodeNative(p, usageOnly);
        if (event == null) {
          return TREE_PATH;
        }
        result = event;
      } catch (IllegalArgumentException e) {
        result = e.getMessage();
      }
      return p.nextToken() == null ? result : TREE_PATH;
    } catch (JacksonException e) {
      return TREE_PATH;
    }
  }

  /**
   * What a lean decode keeps of a full one: of the annotations the decision, of the requesting user
   * neither uid nor extra; anything but an event as it is.
   */
  public static Object usageView(Object decoded) {
    if (!(decoded instanceof AuditEvent e)) {
      return decoded;
    }
    String decision = e.decision();
    return new AuditEvent(
        e.auditID(),
        e.stage(),
        e.requestURI(),
        e.verb(),
        new UserInfo(e.user().username(), "", e.user().groups(), Map.of()),
        e.impersonatedUser(),
        e.impersonationConstraint(),
        e.objectRef(),
        e.responseCode(),
        e.responseReason(),
        e.responseMessage(),
        e.requestReceivedTimestamp(),
        decision.isEmpty() && !e.annotations().containsKey(AuditEvent.DECISION)
            ? Map.of()
            : Map.of(AuditEvent.DECISION, e.annotations().get(AuditEvent.DECISION)),
        e.requestObject(),
        e.stageTimestamp(),
        e.userAgent());
  }

  /** The event or the error message {@link EventDecoder#decode(JsonNode)} gives. */
  public static Object fromTree(JsonNode node) {
    try {
      return EventDecoder.decode(node);
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }
}
