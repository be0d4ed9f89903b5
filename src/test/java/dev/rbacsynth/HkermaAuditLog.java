package dev.rbacsynth;

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
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The real audit log of testdata/hkerma (a kubeadm cluster installing Helm charts, flattened to CSV
 * by Logstash) turned back into the audit.k8s.io/v1 JSON lines the apiserver wrote. Columns: host,
 * requestReceivedTimestamp, user.username, verb, objectRef.resource, objectRef.subresource,
 * objectRef.name, responseObject.metadata.name, requestURI, auditID, stage, responseStatus.code,
 * ... The CSV lost the user's groups, namespace, apiGroup and the decision: namespace and group
 * come back from requestURI, users get the groups the apiserver gives every authenticated user
 * (service accounts their SA groups), and a 403 is taken as {@code decision: forbid}, anything else
 * as {@code allow}. The file's last row is cut off in the middle of its auditID and is left out.
 */
public final class HkermaAuditLog {
  public static final Path CSV = Path.of("testdata/hkerma/audit-logs.csv");

  private static Path jsonl;
  private static Map<String, Long> eventsByUser;

  /**
   * The converted log as it is bundled for users, gzipped: {@code testdata/hkerma/audit.log.gz}.
   */
  public static final Path BUNDLED = Path.of("testdata/hkerma/audit.log.gz");

  private HkermaAuditLog() {}

  /**
   * Writes {@link #BUNDLED} (or the path given) from the CSV: the README's examples read it, and
   * {@code HkermaBundledLogTest} checks that it is still exactly this conversion. Run after a
   * change to the conversion: {@code java -cp target/test-classes:target/classes
   * dev.rbacsynth.HkermaAuditLog}.
   */
  public static void main(String[] args) throws IOException {
    Path out = args.length > 0 ? Path.of(args[0]) : BUNDLED;
    try (var gz =
        new GZIPOutputStream(Files.newOutputStream(out), 1 << 16) {
          {
            def.setLevel(Deflater.BEST_COMPRESSION);
          }
        }) {
      Files.copy(jsonl(), gz);
    }
  }

  /** The events as JSON lines in a temporary file, written once per test run. */
  public static synchronized Path jsonl() {
    if (jsonl == null) {
      try {
        List<AuditEvents.Event> events = events();
        Path file = Files.createTempFile("hkerma-audit", ".log");
        file.toFile().deleteOnExit();
        jsonl = AuditEvents.write(file, events);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return jsonl;
  }

  /** Usernames with their number of CSV rows (stages counted separately), most active first. */
  public static synchronized Map<String, Long> usersByActivity() {
    if (eventsByUser == null) {
      Map<String, Long> counts = new LinkedHashMap<>();
      events().forEach(e -> counts.merge(e.username(), 1L, Long::sum));
      eventsByUser = new LinkedHashMap<>();
      counts.entrySet().stream()
          .sorted(
              Map.Entry.<String, Long>comparingByValue()
                  .reversed()
                  .thenComparing(Map.Entry.comparingByKey()))
          .forEach(e -> eventsByUser.put(e.getKey(), e.getValue()));
    }
    return eventsByUser;
  }

  static List<AuditEvents.Event> events() {
    List<String> lines;
    try {
      lines = Files.readAllLines(CSV, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<AuditEvents.Event> out = new ArrayList<>();
    for (String line : lines) {
      List<String> c = csv(line);
      if (c.size() < 15) {
        continue; // the truncated last row
      }
      int code = Integer.parseInt(c.get(11));
      out.add(
          new AuditEvents.Event(
              c.get(9),
              c.get(10),
              c.get(2),
              AuditEvents.groupsOf(c.get(2)),
              c.get(3),
              c.get(8),
              c.get(4),
              c.get(5),
              c.get(6),
              code,
              code == 403 ? "forbid" : "allow",
              Instant.parse(c.get(1))));
    }
    return out;
  }

  /** One RFC 4180 line: fields separated by commas, quoted fields with doubled quotes. */
  static List<String> csv(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          field.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(ch);
      }
    }
    fields.add(field.toString());
    return fields;
  }
}
