package dev.rbacsynth.read;

import dev.rbacsynth.event.AuditEvent;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * Decides what one parsed JSON value holds (an Event, an EventList, a JSON array, a {@code v1
 * List}, or an envelope known to an {@link EnvelopeAdapter}) and hands the audit events inside to
 * the sink.
 */
public final class RecordDispatcher {

  private static final int MAX_NESTING = 8;

  private static final String AUDIT_EVENT = "audit Event";

  private final List<EnvelopeAdapter> adapters;
  private final Map<String, Long> detectedFormats = new ConcurrentHashMap<>();
  // plain audit Events, every record of most logs: counted in cells of their own, where two reader
  // threads updating one map entry waited for each other (2.5 % of collect's samples)
  private final LongAdder auditEvents = new LongAdder();

  public RecordDispatcher(List<EnvelopeAdapter> adapters) {
    this.adapters = List.copyOf(adapters);
  }

  public void dispatch(JsonNode node, SourceLocation location, RecordSink sink) {
    dispatch(node, location, sink, 0);
  }

  /** How many records of each format were seen, for the summary ("detected: GKE LogEntry (3)"). */
  public Map<String, Long> detectedFormats() {
    TreeMap<String, Long> formats = new TreeMap<>(detectedFormats);
    long events = auditEvents.sum();
    if (events > 0) {
      formats.merge(AUDIT_EVENT, events, Long::sum);
    }
    return formats;
  }

  /**
   * The adapters' warnings about the input as a whole ({@link EnvelopeAdapter#warnings()}): ask
   * once, after the input is read.
   */
  public List<String> warnings() {
    return adapters.stream().flatMap(a -> a.warnings().stream()).toList();
  }

  private void dispatch(JsonNode node, SourceLocation location, RecordSink sink, int depth) {
    if (depth > MAX_NESTING) {
      sink.problem(
          new ReadProblem(location, "records nested more than " + MAX_NESTING + " levels deep"));
      return;
    }
    if (node.isArray()) {
      for (JsonNode item : node) {
        dispatch(item, location, sink, depth + 1);
      }
      return;
    }
    if (!node.isObject()) {
      sink.problem(new ReadProblem(location, "expected a JSON object, found " + describe(node)));
      return;
    }
    String kind = Json.text(node, "kind");
    if ((kind.equals("EventList") || kind.equals("List")) && node.path("items").isArray()) {
      for (JsonNode item : node.get("items")) {
        dispatch(item, location, sink, depth + 1);
      }
      return;
    }
    if (EventDecoder.looksLikeEvent(node)) {
      event(() -> EventDecoder.decode(node), location, sink);
      return;
    }
    for (EnvelopeAdapter adapter : adapters) {
      if (adapter.recognizes(node)) {
        count(adapter.format());
        try {
          adapter.unwrap(
              node,
              nested -> dispatch(nested, location, sink, depth + 1),
              event -> sink.event(event, location));
        } catch (IllegalArgumentException e) {
          sink.problem(new ReadProblem(location, adapter.format() + ": " + e.getMessage()));
        }
        return;
      }
    }
    String what = kind.isEmpty() ? "an object without kind" : "kind \"" + kind + "\"";
    sink.problem(new ReadProblem(location, "not an audit Event (" + what + ")"));
  }

  /**
   * Hands on a decoded audit Event, or reports why it could not be decoded (the decoder's {@link
   * IllegalArgumentException}); also for Events that the reader decoded without a tree.
   */
  void event(Supplier<AuditEvent> decoder, SourceLocation location, RecordSink sink) {
    AuditEvent event;
    try {
      event = decoder.get();
    } catch (IllegalArgumentException e) {
      sink.problem(new ReadProblem(location, "invalid audit Event: " + e.getMessage()));
      return;
    }
    sink.event(event, location);
    auditEvents.increment();
  }

  private void count(String format) {
    detectedFormats.merge(format, 1L, Long::sum);
  }

  private static String describe(JsonNode node) {
    if (node.isString()) {
      return "a string";
    }
    if (node.isNumber()) {
      return "a number";
    }
    if (node.isBoolean()) {
      return "a boolean";
    }
    return node.isNull() ? "null" : node.getNodeType().toString().toLowerCase(Locale.ROOT);
  }
}
