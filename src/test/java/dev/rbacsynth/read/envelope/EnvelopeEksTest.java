package dev.rbacsynth.read.envelope;

import static dev.rbacsynth.read.envelope.VendorLogs.arr;
import static dev.rbacsynth.read.envelope.VendorLogs.demoEvent;
import static dev.rbacsynth.read.envelope.VendorLogs.obj;
import static dev.rbacsynth.read.envelope.VendorLogs.read;
import static dev.rbacsynth.read.envelope.VendorLogs.readLines;
import static dev.rbacsynth.read.envelope.VendorLogs.readPanther;
import static dev.rbacsynth.read.envelope.VendorLogs.ref;
import static dev.rbacsynth.read.envelope.VendorLogs.seen;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.event.Stage;
import dev.rbacsynth.read.EventDecoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * EKS: no real CloudWatch export is in the corpus, so real Events from the audit2rbac demo log are
 * wrapped in each documented CloudWatch Logs envelope. An envelope must hand back exactly the Event
 * it carries.
 */
class EnvelopeEksTest {

  private static final String AUDIT_STREAM =
      "kube-apiserver-audit-8f1e2d3c4b5a69788796a5b4c3d2e1f0";
  private static final String CLOUDWATCH = "EKS CloudWatch Logs";

  @TempDir Path dir;

  /** The Event that line {@code n} of the demo log decodes to natively. */
  private static AuditEvent demo(int n) {
    return EventDecoder.decode(VendorLogs.parse(demoEvent(n)));
  }

  private static ObjectNode logEvent(String stream, int demoLine) {
    return obj(
        "logStreamName",
        stream,
        "timestamp",
        1505159705000L + demoLine,
        "message",
        demoEvent(demoLine),
        "ingestionTime",
        1505159706000L + demoLine,
        "eventId",
        "3665549398157290520" + demoLine);
  }

  @Test
  void filterLogEventsOutputKeepsOnlyTheAuditStream() throws IOException {
    ObjectNode output =
        obj(
            "events",
                arr(
                    logEvent(AUDIT_STREAM, 1),
                    obj(
                        "logStreamName",
                        "authenticator-8f1e2d3c4b5a69788796a5b4c3d2e1f0",
                        "timestamp",
                        1505159705500L,
                        "message",
                        "time=\"2017-09-11T19:55:05Z\" level=info msg=\"access granted\"",
                        "ingestionTime",
                        1505159706500L,
                        "eventId",
                        "36655493981572905209"),
                    logEvent(AUDIT_STREAM, 10)),
            "searchedLogStreams", arr(),
            "nextToken", "Bxkq6kVGFtq2y_MoigeqscPOdhXVbhiVtLoAmXb5jCrI7fXLrYUYxb6VMKHm4KqR4Q");
    Path file = Files.writeString(dir.resolve("filter-log-events.json"), output.toPrettyString());

    VendorLogs.Result r = read(file);

    assertThat(r.problems()).isEmpty();
    assertThat(r.all()).containsExactly(demo(1), demo(10));
    assertThat(seen(r.all().get(0)))
        .isEqualTo(
            new VendorLogs.Seen(
                "system:admin",
                "bob",
                "list",
                "/api/v1/namespaces/default/pods",
                ref("pods", "default", "", "", "v1", ""),
                403,
                ""));
    assertThat(seen(r.all().get(1)))
        .isEqualTo(new VendorLogs.Seen("system:admin", "bob", "get", "/api", null, 200, ""));
    assertThat(r.formats()).containsEntry(CLOUDWATCH, 4L).containsEntry("audit Event", 2L);
  }

  @Test
  void getLogEventsOutput() throws IOException {
    ObjectNode output =
        obj(
            "events",
                arr(
                    obj(
                        "timestamp",
                        1505159734000L,
                        "message",
                        demoEvent(5),
                        "ingestionTime",
                        1505159735000L),
                    obj(
                        "timestamp",
                        1505159740000L,
                        "message",
                        demoEvent(7),
                        "ingestionTime",
                        1505159741000L)),
            "nextForwardToken", "f/37117234789348347594377282437659204783582934712896",
            "nextBackwardToken", "b/37117234789348347594377282437659204783582934712895");
    Path file = Files.writeString(dir.resolve("get-log-events.json"), output.toPrettyString());

    VendorLogs.Result r = read(file);

    assertThat(r.problems()).isEmpty();
    assertThat(r.all()).containsExactly(demo(5), demo(7));
    assertThat(seen(r.all().get(1)))
        .isEqualTo(
            new VendorLogs.Seen(
                "system:admin",
                "system:serviceaccount:ns1:sa1",
                "list",
                "/api/v1/nodes",
                ref("nodes", "", "", "", "v1", ""),
                403,
                ""));
  }

  @Test
  void singleRecordsAndLogsInsightsResults() {
    String bare = obj("message", demoEvent(33)).toString();
    String insightsRow =
        obj("@timestamp", "2017-09-11 19:56:01.000", "@message", demoEvent(34)).toString();
    String oneEvent = logEvent(AUDIT_STREAM, 35).toString();
    String queryResults =
        obj(
                "results",
                    arr(
                        arr(
                            obj("field", "@timestamp", "value", "2017-09-11 19:56:02.000"),
                            obj("field", "@message", "value", demoEvent(36)),
                            obj(
                                "field",
                                "@ptr",
                                "value",
                                "CmAKJwojMTIzNDU2Nzg5MDEyOi9hd3MvZWtzL2RlbW8vY2x1c3RlchAE"))),
                "statistics",
                    obj("recordsMatched", 1.0, "recordsScanned", 37.0, "bytesScanned", 22135.0),
                "status", "Complete")
            .toString();

    VendorLogs.Result r =
        readLines(dir, "records.jsonl", List.of(bare, insightsRow, oneEvent, queryResults));

    assertThat(r.problems()).isEmpty();
    assertThat(r.all()).containsExactly(demo(33), demo(34), demo(35), demo(36));
    assertThat(seen(r.single(3)))
        .isEqualTo(
            new VendorLogs.Seen(
                "system:admin",
                "alice",
                "list",
                "/api/v1/namespaces/ns1/pods",
                ref("pods", "ns1", "", "", "v1", ""),
                403,
                ""));
  }

  private static ObjectNode subscription(String type, String stream, ObjectNode... logEvents) {
    return obj(
        "messageType",
        type,
        "owner",
        type.equals("DATA_MESSAGE") ? "123456789012" : "CloudwatchLogs",
        "logGroup",
        type.equals("DATA_MESSAGE") ? "/aws/eks/demo/cluster" : "",
        "logStream",
        stream,
        "subscriptionFilters",
        arr(type.equals("DATA_MESSAGE") ? "eks-audit-to-firehose" : ""),
        "logEvents",
        arr((Object[]) logEvents));
  }

  private static ObjectNode subscriptionEvent(String id, String message) {
    return obj("id", id, "timestamp", 1505159705000L, "message", message);
  }

  @Test
  void subscriptionFilterRecordsOneAJsonLine() {
    String data =
        subscription(
                "DATA_MESSAGE",
                AUDIT_STREAM,
                subscriptionEvent("36655493981572905201", demoEvent(2)),
                subscriptionEvent("36655493981572905202", demoEvent(3)))
            .toString();
    String control =
        subscription(
                "CONTROL_MESSAGE",
                "",
                subscriptionEvent(
                    "", "CWL CONTROL MESSAGE: Checking health of destination Firehose."))
            .toString();
    String scheduler =
        subscription(
                "DATA_MESSAGE",
                "kube-scheduler-8f1e2d3c4b5a69788796a5b4c3d2e1f0",
                subscriptionEvent(
                    "36655493981572905203", "I0911 19:55:05.123456       1 scheduler.go:604] ok"))
            .toString();

    VendorLogs.Result r = readLines(dir, "subscription.jsonl", List.of(data, control, scheduler));

    assertThat(r.problems()).isEmpty();
    assertThat(r.at(1)).containsExactly(demo(2), demo(3));
    assertThat(r.at(2)).isEmpty();
    assertThat(r.at(3)).isEmpty();
    assertThat(r.all().get(1).responseCode()).isEqualTo(200);
  }

  @Test
  void firehoseObjectOfConcatenatedGzippedRecords() throws IOException {
    // Firehose writes the subscription records to S3 back to back, each gzipped, with no newline
    // between them.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int line : new int[] {33, 34}) {
      try (GZIPOutputStream gz =
          new GZIPOutputStream(bytes) {
            @Override
            public void close() throws IOException {
              finish(); // end this gzip member, keep the shared stream open
            }
          }) {
        gz.write(
            subscription(
                    "DATA_MESSAGE",
                    AUDIT_STREAM,
                    subscriptionEvent("3665549398157290520" + line, demoEvent(line)))
                .toString()
                .getBytes(StandardCharsets.UTF_8));
      }
    }
    Path file = Files.write(dir.resolve("firehose-delivery"), bytes.toByteArray());

    VendorLogs.Result r = read(file);

    assertThat(r.problems()).isEmpty();
    assertThat(r.all()).containsExactly(demo(33), demo(34));
  }

  @Test
  void pantherEksEventsWithExtraFieldsAreNativeEvents() {
    VendorLogs.Result anonymous = readPanther(dir, "aws_eks_rules/anonymous_api_access.yml");
    VendorLogs.Result forbidden = readPanther(dir, "aws_eks_rules/source_ip_multiple_403.yml");
    VendorLogs.Result token = readPanther(dir, "aws_eks_rules/system_namespace_public_ip.yml");

    for (VendorLogs.Result r : List.of(anonymous, forbidden, token)) {
      assertThat(r.problems()).isEmpty();
      assertThat(r.formats()).isEqualTo(Map.of("audit Event", (long) r.all().size()));
    }
    assertThat(anonymous.all()).hasSize(8);
    assertThat(forbidden.all()).hasSize(3);
    assertThat(token.all()).hasSize(9);
    assertThat(seen(anonymous.single(8)))
        .isEqualTo(
            seen(
                "system:anonymous",
                "get",
                "/vendor/phpunit/src/Util/PHP/eval-stdin.php",
                null,
                403,
                "forbid"));
    AuditEvent log = forbidden.single(1);
    assertThat(seen(log))
        .isEqualTo(
            seen(
                "kubernetes-admin",
                "get",
                "/api/v1/namespaces/default/pods/kube-bench-drn4j/log?container=kube-bench",
                ref("pods", "default", "kube-bench-drn4j", "", "v1", "log"),
                200,
                "allow"));
    assertThat(log.stage()).isEqualTo(Stage.RESPONSE_STARTED);
    assertThat(seen(token.single(7)))
        .isEqualTo(
            seen(
                "system:node:ip-192-168-3-178.us-west-2.compute.internal",
                "create",
                "/api/v1/namespaces/kube-system/serviceaccounts/kube-proxy/token",
                ref("serviceaccounts", "kube-system", "kube-proxy", "", "v1", "token"),
                201,
                "allow"));
  }
}
