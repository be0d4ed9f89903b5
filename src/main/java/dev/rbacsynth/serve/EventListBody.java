package dev.rbacsynth.serve;

import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.read.EventDecoder;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * The body of a webhook POST: one {@code EventList} of {@code audit.k8s.io/v1} or {@code v1beta1},
 * as the apiserver's batch and blocking modes send it. Read as a stream, one item at a time, so
 * memory holds the decoded events, never a tree (of the body or of an item). Items go through the
 * reader's one Event decoder, straight from the tokens; an item that is not a usable Event is
 * counted as a bad record (as {@code collect} counts a bad line) and the rest of the batch stands.
 */
final class EventListBody {
  static final List<String> API_VERSIONS = List.of("audit.k8s.io/v1", "audit.k8s.io/v1beta1");

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  /** Not an EventList, or not JSON: the one-line reason goes back with the 400. */
  static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String reason) {
      super(reason, null, false, false);
    }
  }

  record Batch(List<AuditEvent> events, int badItems) {}

  private EventListBody() {}

  static Batch read(InputStream in) throws Malformed, BoundedInputStream.TooLarge {
    String kind = null;
    String apiVersion = null;
    List<AuditEvent> events = null;
    int bad = 0;
    try (JsonParser p = MAPPER.createParser(in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new Malformed("the body is not a JSON object (expected an audit.k8s.io EventList)");
      }
      for (String name = p.nextName(); name != null; name = p.nextName()) {
        JsonToken value = p.nextToken();
        switch (name) {
          case "kind" -> kind = value == JsonToken.VALUE_STRING ? p.getString() : skip(p);
          case "apiVersion" ->
              apiVersion = value == JsonToken.VALUE_STRING ? p.getString() : skip(p);
          case "items" -> {
            if (value == JsonToken.VALUE_NULL) {
              events = new ArrayList<>();
              break;
            }
            if (value != JsonToken.START_ARRAY) {
              throw new Malformed("\"items\" is not an array");
            }
            events = new ArrayList<>();
            for (JsonToken item = p.nextToken();
                item != JsonToken.END_ARRAY;
                item = p.nextToken()) {
              if (item != JsonToken.START_OBJECT) {
                p.skipChildren(); // not an object: not an Event
                bad++;
                continue;
              }
              try {
                AuditEvent e = EventDecoder.decodeListItem(p);
                if (e == null) {
                  bad++;
                } else {
                  events.add(e);
                }
              } catch (IllegalArgumentException e) {
                bad++; // the rest of the item was read: the list goes on
              }
            }
          }
          default -> p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw new Malformed("trailing data after the EventList");
      }
    } catch (JacksonException e) {
      if (e.getCause() instanceof BoundedInputStream.TooLarge tooLarge) {
        throw tooLarge;
      }
      throw new Malformed("malformed JSON at " + location(e));
    } catch (RuntimeException e) {
      if (e.getCause() instanceof BoundedInputStream.TooLarge tooLarge) {
        throw tooLarge;
      }
      throw e;
    }
    if (!"EventList".equals(kind)) {
      throw new Malformed(
          "expected kind EventList, found " + (kind == null ? "no kind" : "kind \"" + kind + "\""));
    }
    if (!API_VERSIONS.contains(apiVersion)) {
      throw new Malformed(
          "expected apiVersion audit.k8s.io/v1 or audit.k8s.io/v1beta1, found "
              + (apiVersion == null ? "none" : "\"" + apiVersion + "\""));
    }
    return new Batch(events == null ? List.of() : events, bad);
  }

  private static String skip(JsonParser p) {
    p.skipChildren();
    return null;
  }

  private static String location(JacksonException e) {
    var loc = e.getLocation();
    return loc == null
        ? "an unknown offset"
        : "line " + loc.getLineNr() + ", column " + loc.getColumnNr();
  }
}
