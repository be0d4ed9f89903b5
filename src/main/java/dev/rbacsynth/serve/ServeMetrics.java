package dev.rbacsynth.serve;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * serve's counters in the Prometheus text exposition format (0.0.4). Labels name reasons and
 * results, never a subject, user or request: those stay in the ledger.
 */
final class ServeMetrics {
  static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  final LongAdder eventsReceived = new LongAdder();
  final LongAdder eventsApplied = new LongAdder();
  final LongAdder eventsDuplicate = new LongAdder();
  private final Map<String, LongAdder> eventsRejected = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> requestsRejected = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> batches = new ConcurrentHashMap<>();
  private final LongAdder[] latencyBuckets = new LongAdder[BUCKETS.length];
  private final LongAdder latencyCount = new LongAdder();
  private final DoubleAdder latencySum = new DoubleAdder();

  ServeMetrics() {
    for (int i = 0; i < BUCKETS.length; i++) {
      latencyBuckets[i] = new LongAdder();
    }
  }

  void eventsRejected(String reason, long n) {
    eventsRejected.computeIfAbsent(reason, r -> new LongAdder()).add(n);
  }

  void requestRejected(String reason) {
    requestsRejected.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }

  void batch(String result) {
    batches.computeIfAbsent(result, r -> new LongAdder()).increment();
  }

  void auditLatency(long nanos) {
    double seconds = nanos / 1e9;
    for (int i = 0; i < BUCKETS.length; i++) {
      if (seconds <= BUCKETS[i]) {
        latencyBuckets[i].increment();
      }
    }
    latencyCount.increment();
    latencySum.add(seconds);
  }

  String render(UsageStore.Figures store, int inFlight) {
    StringBuilder b = new StringBuilder(4096);
    counter(
        b,
        "rbac_synth_events_received_total",
        "Audit events received in POST /audit bodies.",
        eventsReceived.sum());
    counter(
        b,
        "rbac_synth_events_applied_total",
        "Audit records given to the ledger (every stage; resent ones excluded).",
        eventsApplied.sum());
    counter(
        b,
        "rbac_synth_events_duplicate_total",
        "Records dropped as resent: their (audit ID, stage) was stored already.",
        eventsDuplicate.sum());
    labelled(
        b,
        "rbac_synth_events_rejected_total",
        "Events not counted, by reason.",
        "reason",
        eventsRejected);
    labelled(
        b,
        "rbac_synth_requests_rejected_total",
        "Requests answered with an error, by reason.",
        "reason",
        requestsRejected);
    labelled(b, "rbac_synth_batches_total", "POST /audit batches, by result.", "result", batches);
    b.append(
        "# HELP rbac_synth_audit_request_duration_seconds Time from a POST /audit request to its answer (acknowledgement latency).\n");
    b.append("# TYPE rbac_synth_audit_request_duration_seconds histogram\n");
    for (int i = 0; i < BUCKETS.length; i++) {
      b.append("rbac_synth_audit_request_duration_seconds_bucket{le=\"")
          .append(format(BUCKETS[i]))
          .append("\"} ")
          .append(latencyBuckets[i].sum())
          .append('\n');
    }
    b.append("rbac_synth_audit_request_duration_seconds_bucket{le=\"+Inf\"} ")
        .append(latencyCount.sum())
        .append('\n');
    b.append("rbac_synth_audit_request_duration_seconds_sum ")
        .append(format(latencySum.sum()))
        .append('\n');
    b.append("rbac_synth_audit_request_duration_seconds_count ")
        .append(latencyCount.sum())
        .append('\n');
    gauge(
        b,
        "rbac_synth_store_bytes",
        "Size of the state database (with its WAL).",
        store.fileBytes());
    gauge(b, "rbac_synth_subjects", "Subjects in the usage.", store.subjects());
    gauge(
        b,
        "rbac_synth_distinct_requests",
        "Distinct requests in the usage (all subjects).",
        store.requests());
    gauge(
        b,
        "rbac_synth_pending_stages",
        "Requests whose other stages have not arrived yet (the ledger's fragments).",
        store.pending());
    gauge(b, "rbac_synth_batches_in_flight", "POST /audit batches being read or stored.", inFlight);
    return b.toString();
  }

  private static void counter(StringBuilder b, String name, String help, long value) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(" counter\n");
    b.append(name).append(' ').append(value).append('\n');
  }

  private static void gauge(StringBuilder b, String name, String help, long value) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(" gauge\n");
    b.append(name).append(' ').append(value).append('\n');
  }

  private static void labelled(
      StringBuilder b, String name, String help, String label, Map<String, LongAdder> values) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(" counter\n");
    new TreeMap<>(values)
        .forEach(
            (k, v) ->
                b.append(name)
                    .append('{')
                    .append(label)
                    .append("=\"")
                    .append(k)
                    .append("\"} ")
                    .append(v.sum())
                    .append('\n'));
  }

  private static String format(double d) {
    return String.format(Locale.ROOT, "%s", d);
  }
}
