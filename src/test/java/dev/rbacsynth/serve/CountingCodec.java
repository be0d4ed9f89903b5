package dev.rbacsynth.serve;

import dev.rbacsynth.event.AuditEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A codec for testing the store and the server on their own: a request is its user, verb and path,
 * counted per day and response code; the "ledger" is {@code user verb path count} lines. Not an
 * interpretation of events for any output: the real codec is the usage ledger's.
 */
final class CountingCodec implements UsageCodec {
  @Override
  public UsageDelta absorb(List<AuditEvent> events, long badRecords, String cluster) {
    Map<String, Map<String, Map<String, long[]>>> m = new TreeMap<>();
    String from = null;
    String to = null;
    for (AuditEvent e : events) {
      String day =
          e.requestReceivedTimestamp() == null
              ? ""
              : e.requestReceivedTimestamp().atOffset(ZoneOffset.UTC).toLocalDate().toString();
      String t =
          e.requestReceivedTimestamp() == null ? null : e.requestReceivedTimestamp().toString();
      if (t != null) {
        from = from == null || t.compareTo(from) < 0 ? t : from;
        to = to == null || t.compareTo(to) > 0 ? t : to;
      }
      m.computeIfAbsent(e.effectiveUser().username(), k -> new TreeMap<>())
          .computeIfAbsent(e.verb() + " " + e.requestURI(), k -> new TreeMap<>())
          .computeIfAbsent(day + "|" + e.responseCode(), k -> new long[1])[0]++;
    }
    List<UsageDelta.SubjectDelta> subjects = new ArrayList<>();
    for (var s : m.entrySet()) {
      List<UsageDelta.RequestDelta> requests = new ArrayList<>();
      for (var r : s.getValue().entrySet()) {
        List<UsageDelta.DayCount> days = new ArrayList<>();
        r.getValue()
            .forEach(
                (k, v) -> {
                  String[] p = k.split("\\|", -1);
                  days.add(new UsageDelta.DayCount(p[0], p[1], v[0], null, null));
                });
        requests.add(new UsageDelta.RequestDelta(r.getKey(), "{}", days));
      }
      subjects.add(new UsageDelta.SubjectDelta(s.getKey(), "{}", requests));
    }
    return new UsageDelta(events.size(), badRecords, cluster, from, to, subjects);
  }

  @Override
  public String mergeSubjectExtra(String a, String b) {
    return "{}";
  }

  @Override
  public String mergeRequestExtra(String a, String b) {
    return "{}";
  }

  @Override
  public void writeLedger(
      Observation observation, List<UsageDelta.SubjectDelta> usage, OutputStream out)
      throws IOException {
    Map<String, Long> counts = new TreeMap<>();
    for (var s : usage) {
      for (var r : s.requests()) {
        for (var d : r.days()) {
          counts.merge(s.key() + " " + r.key(), d.count(), Long::sum);
        }
      }
    }
    long events = observation.clusters().stream().mapToLong(ClusterObservation::events).sum();
    StringBuilder b = new StringBuilder("events " + events + "\n");
    counts.forEach((k, v) -> b.append(k).append(' ').append(v).append('\n'));
    out.write(b.toString().getBytes(StandardCharsets.UTF_8));
  }
}
