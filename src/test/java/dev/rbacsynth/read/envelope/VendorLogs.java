package dev.rbacsynth.read.envelope;

import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.event.ObjectReference;
import dev.rbacsynth.read.AuditLogReader;
import dev.rbacsynth.read.InputSource;
import dev.rbacsynth.read.LinePrefilter;
import dev.rbacsynth.read.ReadProblem;
import dev.rbacsynth.read.ReadStats;
import dev.rbacsynth.read.RecordDispatcher;
import dev.rbacsynth.read.RecordSink;
import dev.rbacsynth.read.SourceLocation;
import dev.rbacsynth.yaml.YamlDocuments;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Shared by the envelope tests: the vendor samples under {@code testdata/vendor}, reading a file
 * through the real {@link AuditLogReader} and {@link RecordDispatcher} with {@link
 * Envelopes#all()}, and a compact view of the fields the RBAC pipeline uses.
 */
final class VendorLogs {

  static final Path VENDOR = Path.of("testdata", "vendor");
  static final JsonMapper MAPPER = JsonMapper.builder().build();

  private VendorLogs() {}

  /** What one file yielded. */
  record Result(
      List<Located> events,
      List<ReadProblem> problems,
      Map<String, Long> formats,
      List<String> warnings) {

    List<AuditEvent> all() {
      return events.stream().map(Located::event).toList();
    }

    /** The events read from one line (JSON lines) or document start line (YAML). */
    List<AuditEvent> at(long line) {
      return events.stream().filter(e -> e.location().line() == line).map(Located::event).toList();
    }

    /** The only event of a line. */
    AuditEvent single(long line) {
      List<AuditEvent> found = at(line);
      if (found.size() != 1) {
        throw new AssertionError(
            "expected one event at line "
                + line
                + ", found "
                + found.size()
                + "; problems: "
                + problems);
      }
      return found.get(0);
    }
  }

  record Located(AuditEvent event, SourceLocation location) {}

  /** The fields the RBAC pipeline derives its attributes from. */
  record Seen(
      String user,
      String impersonatedUser,
      String verb,
      String requestURI,
      ObjectReference objectRef,
      int code,
      String decision) {}

  static Seen seen(AuditEvent e) {
    return new Seen(
        e.user().username(),
        e.impersonatedUser() == null ? null : e.impersonatedUser().username(),
        e.verb(),
        e.requestURI(),
        e.objectRef(),
        e.responseCode(),
        e.decision());
  }

  static Seen seen(
      String user, String verb, String uri, ObjectReference ref, int code, String decision) {
    return new Seen(user, null, verb, uri, ref, code, decision);
  }

  static ObjectReference ref(
      String resource,
      String namespace,
      String name,
      String group,
      String version,
      String subresource) {
    return new ObjectReference(resource, namespace, name, group, version, subresource);
  }

  static Path vendor(String relative) {
    return VENDOR.resolve(relative);
  }

  static Result read(Path file) {
    RecordDispatcher dispatcher = new RecordDispatcher(Envelopes.all());
    AuditLogReader reader = new AuditLogReader(dispatcher, LinePrefilter.ALL, new ReadStats());
    List<Located> events = new ArrayList<>();
    List<ReadProblem> problems = new ArrayList<>();
    reader.read(
        new InputSource.FileSource(file),
        new RecordSink() {
          @Override
          public void event(AuditEvent event, SourceLocation location) {
            events.add(new Located(event, location));
          }

          @Override
          public void problem(ReadProblem problem) {
            problems.add(problem);
          }
        });
    return new Result(events, problems, dispatcher.detectedFormats(), dispatcher.warnings());
  }

  /** Writes {@code lines} as a JSON-lines file and reads it. */
  static Result readLines(Path dir, String name, List<String> lines) {
    return read(write(dir, name, lines));
  }

  static Path write(Path dir, String name, List<String> lines) {
    try {
      return Files.write(dir.resolve(name), lines, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The {@code Tests[].Log} records of a Panther rule file, one JSON line each, so that line N of
   * the result is test N. The rule YAML itself is not a log.
   */
  static List<String> pantherLogs(String rule) {
    List<String> lines = new ArrayList<>();
    try (Reader in =
        Files.newBufferedReader(vendor("panther-analysis/rules/" + rule), StandardCharsets.UTF_8)) {
      YamlDocuments.forEach(
          in,
          (document, line) -> {
            for (JsonNode test : MAPPER.valueToTree(document).path("Tests")) {
              lines.add(test.get("Log").toString());
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return lines;
  }

  /** The Panther rule's test logs, read as a JSON-lines file. */
  static Result readPanther(Path dir, String rule) {
    return readLines(dir, Path.of(rule).getFileName() + ".jsonl", pantherLogs(rule));
  }

  /** Line {@code n} (1-based) of the audit2rbac demo log: a real audit.k8s.io/v1 Event, as text. */
  static String demoEvent(int n) {
    try {
      return Files.readAllLines(
              vendor("liggitt-audit2rbac/testdata/demo.log"), StandardCharsets.UTF_8)
          .get(n - 1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An object from key/value pairs; values that are not JSON nodes are converted. */
  static ObjectNode obj(Object... keysAndValues) {
    ObjectNode node = MAPPER.createObjectNode();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      node.set((String) keysAndValues[i], node(keysAndValues[i + 1]));
    }
    return node;
  }

  static ArrayNode arr(Object... items) {
    ArrayNode node = MAPPER.createArrayNode();
    for (Object item : items) {
      node.add(node(item));
    }
    return node;
  }

  static JsonNode parse(String json) {
    return MAPPER.readTree(json);
  }

  private static JsonNode node(Object value) {
    return value instanceof JsonNode json ? json : MAPPER.valueToTree(value);
  }
}
