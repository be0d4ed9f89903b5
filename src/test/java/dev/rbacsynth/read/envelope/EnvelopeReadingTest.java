package dev.rbacsynth.read.envelope;

import static dev.rbacsynth.read.envelope.VendorLogs.arr;
import static dev.rbacsynth.read.envelope.VendorLogs.demoEvent;
import static dev.rbacsynth.read.envelope.VendorLogs.obj;
import static dev.rbacsynth.read.envelope.VendorLogs.read;
import static dev.rbacsynth.read.envelope.VendorLogs.readLines;
import static dev.rbacsynth.read.envelope.VendorLogs.ref;
import static dev.rbacsynth.read.envelope.VendorLogs.seen;
import static dev.rbacsynth.read.envelope.VendorLogs.vendor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.read.EnvelopeAdapter;
import dev.rbacsynth.read.ReadProblem;
import dev.rbacsynth.yaml.YamlDocuments;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * What all envelopes share: one reader for every format, per-line problems, and the detected-format
 * summary.
 */
class EnvelopeReadingTest {

  @TempDir Path dir;

  /** The GKE entry of a gcp-khi YAML sample as one JSON line. */
  private static String gkeLine(String file) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (Reader in =
        Files.newBufferedReader(
            vendor("gcp-khi/test/logs/k8s_audit/" + file), StandardCharsets.UTF_8)) {
      YamlDocuments.forEach(in, (doc, line) -> docs.add(VendorLogs.MAPPER.valueToTree(doc)));
    }
    return docs.get(0).toString();
  }

  /** Record {@code n} of the real AKS Event Hub batch as one JSON line. */
  private static String aksLine(int n) throws IOException {
    return VendorLogs.parse(Files.readString(vendor("sysdiglabs-aks-audit-log/samples/event.json")))
        .get("records")
        .get(n - 1)
        .toString();
  }

  @Test
  void adaptersAreAskedMostSpecificFirst() {
    assertThat(Envelopes.all())
        .extracting(EnvelopeAdapter::format)
        .containsExactly(
            "GKE Cloud Audit LogEntry",
            "EKS CloudWatch Logs",
            "AKS diagnostic record",
            "AKS Log Analytics row",
            "Elasticsearch/OpenSearch hit",
            "log shipper document");
  }

  @Test
  void mixedJsonLinesFileIsReadLineByLine() throws IOException {
    VendorLogs.Result r =
        readLines(
            dir,
            "mixed.jsonl",
            List.of(
                demoEvent(1),
                gkeLine("container_recorder_test_1_2.yaml"),
                aksLine(3),
                obj("message", demoEvent(35), "timestamp", 1505159780000L).toString(),
                gkeLine("container_recorder_test_1_1.yaml"),
                aksLine(15),
                obj("log", demoEvent(10), "stream", "stdout").toString()));

    assertThat(r.problems()).isEmpty();
    assertThat(r.all()).hasSize(7);
    assertThat(r.single(1).impersonatedUser().username()).isEqualTo("bob");
    assertThat(seen(r.single(2)).objectRef())
        .isEqualTo(
            ref(
                "pods",
                "1-2-deployment-update",
                "nginx-deployment-surge-8655b4b8c5-xf5f4",
                "",
                "v1",
                "status"));
    assertThat(seen(r.single(3)).user()).isEqualTo("aksService");
    assertThat(r.single(4).impersonatedUser().username()).isEqualTo("alice");
    assertThat(r.single(5).verb()).isEqualTo("create");
    assertThat(r.single(6).requestURI())
        .isEqualTo(
            "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/aks-cluster-admin-binding");
    assertThat(r.single(7).requestURI()).isEqualTo("/api");
    assertThat(r.formats())
        .isEqualTo(
            Map.of(
                "audit Event", 5L,
                "GKE Cloud Audit LogEntry", 2L,
                "AKS diagnostic record", 2L,
                "EKS CloudWatch Logs", 1L,
                "log shipper document", 1L));
  }

  @Test
  void recognisedButUnmappableRecordsAreProblemsAtTheirLineAndTheRestIsKept() {
    List<String> lines =
        List.of(
            demoEvent(1),
            obj("category", "kube-audit", "properties", obj("log", 42)).toString(),
            demoEvent(2),
            obj("category", "kube-audit", "properties", obj("log", "{\"kind\":\"Event\","))
                .toString(),
            obj(
                    "protoPayload",
                    obj("serviceName", "k8s.io", "methodName", "io.k8s.core.v1.pods.list"))
                .toString(),
            obj(
                    "logStreamName",
                    "kube-apiserver-audit-0a1b",
                    "timestamp",
                    1505159705000L,
                    "message",
                    "truncated {")
                .toString(),
            obj("messageType", "DATA_MESSAGE_V2", "logEvents", arr()).toString(),
            obj("Type", "AKSAudit", "RequestUri", "/api", "Verb", "get", "User", "system:admin")
                .toString(),
            obj("log", "{\"kind\":\"Event\",\"verb\":", "stream", "stdout").toString(),
            obj("message", "{\"level\":\"info\",\"msg\":\"not an audit event\"}").toString(),
            demoEvent(3));

    VendorLogs.Result r = readLines(dir, "broken.jsonl", lines);
    String file = dir.resolve("broken.jsonl").toString();

    assertThat(r.all()).hasSize(3);
    assertThat(r.at(1)).hasSize(1);
    assertThat(r.at(3)).hasSize(1);
    assertThat(r.at(11)).hasSize(1);
    // The parser's own wording after "is not a JSON document: " is Jackson's; only its presence is
    // checked.
    assertThat(r.problems())
        .extracting(ReadProblem::format)
        .allSatisfy(p -> assertThat(p).doesNotContain("\n"));
    assertThat(r.problems())
        .extracting(p -> p.format().replaceFirst("(is not a JSON document): .+", "$1: ..."))
        .containsExactly(
            file + ":2: AKS diagnostic record: properties.log must be a JSON string or object",
            file + ":4: AKS diagnostic record: properties.log is not a JSON document: ...",
            file + ":5: GKE Cloud Audit LogEntry: protoPayload.resourceName is missing",
            file + ":6: EKS CloudWatch Logs: message is not a JSON document: ...",
            file
                + ":7: EKS CloudWatch Logs: messageType \"DATA_MESSAGE_V2\" is neither DATA_MESSAGE nor "
                + "CONTROL_MESSAGE",
            file + ":8: AKS Log Analytics row: column User holds no JSON value",
            file + ":9: log shipper document: log is not a JSON document: ...",
            file + ":10: not an audit Event (an object without kind)");
  }

  @Test
  void severalRecordsInOneJsonArrayOrConcatenatedOnOneLine() throws IOException {
    JsonNode array =
        arr(
            VendorLogs.parse(demoEvent(1)),
            VendorLogs.parse(demoEvent(2)),
            VendorLogs.parse(aksLine(3)));
    Path pretty = Files.writeString(dir.resolve("array.json"), array.toPrettyString());
    Path concatenated =
        Files.writeString(
            dir.resolve("concatenated.json"), demoEvent(4) + demoEvent(5) + aksLine(6) + "\n");

    VendorLogs.Result fromArray = read(pretty);
    VendorLogs.Result fromStream = read(concatenated);

    assertThat(fromArray.problems()).isEmpty();
    assertThat(fromArray.all())
        .extracting(e -> e.user().username())
        .containsExactly("system:admin", "system:admin", "aksService");
    assertThat(fromStream.problems()).isEmpty();
    assertThat(fromStream.all()).hasSize(3);
  }
}
